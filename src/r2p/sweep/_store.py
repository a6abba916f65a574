"""Sweep results in the DuckDB warehouse: one table per sweep, a catalog, per-chunk commits.

``sweep_<name>`` holds one row per regime × scenario × parameter draw (parameters and outcome
metrics); ``sweep_catalog`` holds each sweep's config, config hash, code version and progress;
``sweep_<name>_sobol`` holds its Sobol indices. A chunk's rows are committed in one transaction
together with the catalog's progress counter, so a chunk is either wholly stored or absent:
that is what makes a killed sweep resumable. Only the driver process writes (DuckDB allows one
writer process); it opens the warehouse for each commit and closes it again, so other r2p
commands can read between chunks.
"""

from __future__ import annotations

import shutil
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from r2p.data import connect, write_table
from r2p.errors import R2PInputError

CATALOG = "sweep_catalog"
_CATALOG_DDL = f"""CREATE TABLE IF NOT EXISTS {CATALOG} (
    name VARCHAR PRIMARY KEY, table_name VARCHAR, config_json VARCHAR, config_hash VARCHAR,
    code_version VARCHAR, r2p_version VARCHAR, created_at VARCHAR, updated_at VARCHAR,
    total_chunks INTEGER, chunks_done INTEGER, total_rows BIGINT, status VARCHAR)"""
# Bytes DuckDB needs per stored double, with headroom for row groups, WAL and statistics.
BYTES_PER_VALUE = 16


# Seconds a sweep waits for another process to release DuckDB's lock on the warehouse.
LOCK_WAIT_SECONDS = 60.0


def _connect(path: Path, read_only: bool = False) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """Open the warehouse at ``path`` as it is, waiting while another process holds its lock.

    DuckDB lets one process write, or several read: a reader that happens to hold the file
    when a chunk is due (another r2p command, the dashboard) must not fail the sweep.
    """
    return connect(path, read_only=read_only, ensure=False, lock_wait_seconds=LOCK_WAIT_SECONDS)


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    }


def catalog_entry(path: Path, name: str) -> dict | None:
    """Return the catalog row of sweep ``name`` as a dict, or None if it was never started."""
    with _connect(path, read_only=True) as con:
        if CATALOG not in _tables(con):
            return None
        df = con.execute(f"SELECT * FROM {CATALOG} WHERE name = ?", [name]).df()
    return None if df.empty else df.iloc[0].to_dict()


def list_sweeps(path: Path) -> pd.DataFrame:
    """Return the catalog of stored sweeps (empty frame if none)."""
    with _connect(path, read_only=True) as con:
        if CATALOG not in _tables(con):
            return pd.DataFrame(columns=["name", "status", "chunks_done", "total_chunks"])
        return con.execute(f"SELECT * FROM {CATALOG} ORDER BY name").df()


def done_chunks(path: Path, table: str) -> set[int]:
    """Return the chunk ids already committed to ``table``."""
    with _connect(path, read_only=True) as con:
        if table not in _tables(con):
            return set()
        return {int(r[0]) for r in con.execute(f'SELECT DISTINCT chunk_id FROM "{table}"').fetchall()}


def stored_rows(path: Path, table: str) -> int:
    """Return how many result rows ``table`` holds (0 if it does not exist)."""
    with _connect(path, read_only=True) as con:
        if table not in _tables(con):
            return 0
        row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0


def check_disk(path: Path, n_values: int) -> int:
    """Return the estimated bytes still to store; ``R2PInputError`` if the disk lacks room for them."""
    need = int(n_values * BYTES_PER_VALUE)
    free = shutil.disk_usage(path.parent).free
    if need > free:
        raise R2PInputError(
            f"the sweep's results need about {need / 1e9:.3g} GB but the disk holding "
            f"{path.parent} has {free / 1e9:.3g} GB free; shrink sampling.n, the regimes or "
            f"the scenarios, or set R2P_WAREHOUSE to a bigger disk."
        )
    return need


def begin_sweep(
    path: Path,
    *,
    name: str,
    table: str,
    config_json: str,
    config_hash: str,
    code_version: str,
    r2p_version: str,
    total_chunks: int,
    total_rows: int,
    columns: dict[str, str],
    fresh: bool,
) -> None:
    """Record (or confirm) sweep ``name`` in the catalog and create its empty results table.

    With ``fresh`` an existing table of that name is dropped first (in the same transaction).
    """
    now = datetime.now(UTC).isoformat(timespec="seconds")
    cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
    with _connect(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(_CATALOG_DDL)
            if fresh:
                con.execute(f'DROP TABLE IF EXISTS "{table}"')
                con.execute(f'DROP TABLE IF EXISTS "{table}_sobol"')
                con.execute(f"DELETE FROM {CATALOG} WHERE name = ?", [name])
            con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({cols})')
            exists = con.execute(f"SELECT count(*) FROM {CATALOG} WHERE name = ?", [name]).fetchone()
            if exists and exists[0]:
                con.execute(
                    f"UPDATE {CATALOG} SET updated_at = ?, status = 'running' WHERE name = ?", [now, name]
                )
            else:
                con.execute(
                    f"INSERT INTO {CATALOG} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'running')",
                    [
                        name,
                        table,
                        config_json,
                        config_hash,
                        code_version,
                        r2p_version,
                        now,
                        now,
                        total_chunks,
                        total_rows,
                    ],
                )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise


class ChunkWriter:
    """Commits each finished chunk (rows + catalog progress) in one transaction."""

    def __init__(self, path: Path, name: str, table: str) -> None:
        self.path, self.name, self.table = path, name, table

    def commit(self, frame: pd.DataFrame, chunks_done: int) -> None:
        """Append ``frame`` (one chunk's rows) and set the catalog's ``chunks_done``, atomically."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with _connect(self.path) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.register("_chunk", frame)
                con.execute(f'INSERT INTO "{self.table}" BY NAME SELECT * FROM _chunk')
                con.unregister("_chunk")
                con.execute(
                    f"UPDATE {CATALOG} SET chunks_done = ?, updated_at = ? WHERE name = ?",
                    [chunks_done, now, self.name],
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise

    def finish(self, status: str = "complete") -> None:
        """Mark the sweep ``status`` in the catalog."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with _connect(self.path) as con:
            con.execute(
                f"UPDATE {CATALOG} SET status = ?, updated_at = ? WHERE name = ?", [status, now, self.name]
            )


def read_results(path: Path, name: str) -> tuple[dict, pd.DataFrame]:
    """Return (catalog entry, results frame sorted by regime, scenario, draw) of sweep ``name``."""
    entry = catalog_entry(path, name)
    if entry is None:
        known = list(list_sweeps(path)["name"]) if path.is_file() else []
        from r2p.errors import suggest

        raise R2PInputError(
            f"no sweep named {name!r} in the warehouse {path}; run `r2p sweep FILE` first."
            + (f" Stored sweeps: {', '.join(known)}." if known else "")
            + suggest(name, known)
        )
    with _connect(path, read_only=True) as con:
        df = con.execute(f'SELECT * FROM "{entry["table_name"]}" ORDER BY regime, scenario, draw_id').df()
    return entry, df


def write_frame(path: Path, table: str, frame: pd.DataFrame) -> None:
    """Create or replace ``table`` from ``frame`` in one transaction (waiting out another writer)."""
    write_table(table, frame, path, ensure=False, lock_wait_seconds=LOCK_WAIT_SECONDS)


def read_frame(path: Path, table: str) -> pd.DataFrame | None:
    """Return ``table`` as a frame, or None if it does not exist."""
    with _connect(path, read_only=True) as con:
        if table not in _tables(con):
            return None
        return con.execute(f'SELECT * FROM "{table}"').df()
