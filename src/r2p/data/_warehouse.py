"""The embedded DuckDB warehouse every r2p part reads from.

``build_warehouse`` verifies every shipped file's checksum, loads each into a
typed table, adds the country crosswalk and a provenance table, and writes all
of it to a temporary file that atomically replaces the old warehouse. Tables
that other parts wrote (sweep results, caches) are carried over unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from r2p import __version__
from r2p.data._cache import file_lock
from r2p.data._checksums import CHECKSUM_FILE, expected_checksums, verify
from r2p.data._crosswalk import CountryIndex, build_aliases, build_crosswalk
from r2p.data._paths import data_dir, default_warehouse_path
from r2p.data._sources import DATASETS
from r2p.errors import R2PDataError, R2PInputError, suggest

SCHEMA_VERSION = "1"
# Tables this module owns; everything else in a warehouse is carried over on rebuild.
_DERIVED = ("countries", "country_aliases", "case_documents", "provenance", "meta")
MANAGED_TABLES = frozenset([d.table for d in DATASETS] + list(_DERIVED))
CASES_DIR = "cases/cases"


@dataclass(frozen=True)
class BuildReport:
    """What a warehouse build did: its path, rows per table, and whether it was rebuilt."""

    path: Path
    rows: dict[str, int]
    rebuilt: bool
    seconds: float


def fingerprint(root: Path | None = None) -> str:
    """Return a hash of the shipped checksum list and the warehouse schema version."""
    root = root or data_dir()
    listing = root / CHECKSUM_FILE
    if not listing.is_file():
        raise R2PDataError(f"checksum list {listing} is missing; restore data/{CHECKSUM_FILE}.")
    return hashlib.sha256(listing.read_bytes() + SCHEMA_VERSION.encode()).hexdigest()


#: Seconds the staleness check and a build wait while another process (a sweep committing a
#: chunk, say) holds DuckDB's write lock on the warehouse, before failing with ``R2PDataError``.
LOCK_WAIT_SECONDS = 60.0


def _is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _stored_fingerprint(path: Path) -> str | None:
    """Return the fingerprint stored in the warehouse at ``path``; None if it is missing or
    unreadable. A file another process holds locked is waited for (``LOCK_WAIT_SECONDS``), then
    ``R2PDataError``: a locked file is in use, not stale, and must not be rebuilt."""
    if not path.is_file():
        return None
    try:
        con = _open(path, True, LOCK_WAIT_SECONDS)
    except duckdb.Error:
        return None
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        return None if row is None else str(row[0])
    except duckdb.Error:
        return None
    finally:
        con.close()


def _case_documents(root: Path) -> pd.DataFrame:
    rows = []
    for rel in sorted(k for k in expected_checksums(root) if k.startswith(CASES_DIR + "/")):
        path = verify(rel, root)
        rows.append((path.stem, rel, expected_checksums(root)[rel], path.read_text(encoding="utf-8")))
    return pd.DataFrame(rows, columns=["id", "rel_path", "sha256", "yaml_text"])


def build_warehouse(
    path: Path | None = None,
    *,
    force: bool = False,
    on_step: Callable[[str, int, int], None] | None = None,
) -> BuildReport:
    """Build (or confirm) the warehouse at ``path``; return what it holds.

    Skips the work when the stored fingerprint matches the shipped data unless
    ``force``. ``on_step(table, i, n)`` is called before each table loads (for
    progress bars). On any error the previous warehouse is left untouched.
    """
    started = datetime.now(UTC)
    path = Path(path) if path else default_warehouse_path()
    root = data_dir()
    fp = fingerprint(root)
    with file_lock(path):
        stored = _stored_fingerprint(path)  # waits out (or fails on) another process's lock
        if not force and stored == fp:
            return BuildReport(path, table_rows(path), rebuilt=False, seconds=0.0)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        try:
            rows = _write_fresh(tmp, root, fp, path, on_step)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
    _country_index.cache_clear()
    return BuildReport(path, rows, rebuilt=True,
                       seconds=(datetime.now(UTC) - started).total_seconds())


def _write_fresh(tmp: Path, root: Path, fp: str, old: Path,
                 on_step: Callable[[str, int, int], None] | None) -> dict[str, int]:
    n_steps = len(DATASETS) + 2
    frames: dict[str, pd.DataFrame] = {}
    provenance = []
    for i, ds in enumerate(DATASETS):
        if on_step:
            on_step(ds.table, i, n_steps)
        file = verify(ds.rel_path, root)
        try:
            df = ds.reader(file)
        except Exception as exc:  # a parse failure is a data problem, name the file
            raise R2PDataError(f"could not read {file} into table {ds.table}: {exc}") from exc
        frames[ds.table] = df
        provenance.append((ds.table, ds.rel_path, ds.source, expected_checksums(root)[ds.rel_path],
                           len(df), ds.description))
    if on_step:
        on_step("countries", len(DATASETS), n_steps)
    crosswalk = build_crosswalk(frames["codes_codelist"], frames["ewp_country_names"])
    frames["countries"] = crosswalk
    frames["country_aliases"] = build_aliases(crosswalk, frames["codes_codelist"])
    if on_step:
        on_step("case_documents", len(DATASETS) + 1, n_steps)
    cases = _case_documents(root)
    frames["case_documents"] = cases
    for rec in cases.itertuples(index=False):
        provenance.append(("case_documents", rec.rel_path, "r2p case library", rec.sha256, 1, rec.id))
    frames["provenance"] = pd.DataFrame(
        provenance, columns=["table_name", "rel_path", "source", "sha256", "rows", "description"])
    frames["meta"] = pd.DataFrame(
        [("fingerprint", fp), ("schema_version", SCHEMA_VERSION), ("r2p_version", __version__),
         ("built_at", datetime.now(UTC).isoformat(timespec="seconds")), ("data_dir", str(root))],
        columns=["key", "value"])
    con = duckdb.connect(str(tmp))
    try:
        for name, df in frames.items():
            con.register("_frame", df)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
            con.unregister("_frame")
        _carry_over(con, old)
        con.execute("CHECKPOINT")
        return {
            name: int(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # type: ignore[index]
            for name in _tables(con)
        }
    finally:
        con.close()


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "ORDER BY table_name").fetchall()]


def _carry_over(con: duckdb.DuckDBPyConnection, old: Path) -> None:
    """Copy tables other parts wrote into the old warehouse over to the new one."""
    if not old.is_file():
        return
    try:
        con.execute(f"ATTACH '{old}' AS old_wh (READ_ONLY)")
    except duckdb.Error as exc:
        if _is_lock_error(exc):  # in use since the check: its derived tables must not be dropped
            raise R2PDataError(f"the warehouse {old} is in use by another process ({exc}); nothing "
                               "was changed: rerun the build when it has finished.") from exc
        return  # an unreadable old file has nothing worth keeping
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'old_wh' "
        "AND table_schema = 'main'").fetchall()]
    for name in names:
        if name not in MANAGED_TABLES:
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM old_wh."{name}"')
    con.execute("DETACH old_wh")


# Warehouse files this process has seen up to date: path -> (inode, mtime_ns, size, fingerprint).
# A rebuild replaces the file (new inode), so a changed stat means "look again".
_CHECKED: dict[str, tuple[int, int, int, str]] = {}


def _file_key(path: Path, fp: str) -> tuple[int, int, int, str] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size, fp)


def ensure_warehouse(path: Path | None = None) -> Path:
    """Return the path of an up-to-date warehouse, building it first if missing or stale.

    The stored fingerprint is read once per process and file version (opening DuckDB costs
    tens of milliseconds); a rebuilt or replaced file is checked again.
    """
    path = Path(path) if path else default_warehouse_path()
    fp = fingerprint()
    key = _file_key(path, fp)
    if key is not None and _CHECKED.get(str(path)) == key:
        return path
    if _stored_fingerprint(path) != fp:
        build_warehouse(path)
    key = _file_key(path, fp)
    if key is not None:
        _CHECKED[str(path)] = key
    return path


def _open(path: Path, read_only: bool, lock_wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file at ``path``, retrying while another process holds its lock.

    DuckDB lets one process write, or several read. Retries back off from 10 ms to 0.5 s
    between attempts; after ``lock_wait_seconds`` the error becomes an ``R2PDataError``.
    """
    if lock_wait_seconds <= 0:
        return duckdb.connect(str(path), read_only=read_only)
    deadline = time.monotonic() + lock_wait_seconds
    pause = 0.01
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() > deadline:
                raise R2PDataError(
                    f"the warehouse {path} is in use by another process (still locked after "
                    f"{lock_wait_seconds:g} s: {exc}); let it finish or close it, then rerun the "
                    "same command (a sweep resumes where it stopped)."
                ) from exc
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


@contextlib.contextmanager
def connect(
    path: Path | None = None,
    *,
    read_only: bool = True,
    ensure: bool = True,
    lock_wait_seconds: float = 0.0,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a DuckDB connection to the warehouse at ``path`` (default: the usual one); closed on exit.

    ``ensure`` (the default) first builds the warehouse if it is missing or stale (see
    ``ensure_warehouse``); ``ensure=False`` opens the file as it is, for a caller that ensured
    it already and keeps writing to it (the staleness check cannot read a file another
    process is writing, takes it for stale and rebuilds it). ``lock_wait_seconds`` (default 0:
    fail at once with DuckDB's error) is how long, in seconds, to keep retrying while another
    process holds DuckDB's lock on the file before raising ``R2PDataError``.
    """
    target = Path(path) if path else default_warehouse_path()
    if ensure:
        target = ensure_warehouse(target)
    con = _open(target, read_only, lock_wait_seconds)
    try:
        yield con
    finally:
        con.close()


def table_rows(path: Path | None = None) -> dict[str, int]:
    """Return ``{table: row count}`` for every table in the warehouse at ``path``."""
    con = duckdb.connect(str(Path(path) if path else default_warehouse_path()), read_only=True)
    try:
        return {n: int(con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0])  # type: ignore[index]
                for n in _tables(con)}
    finally:
        con.close()


def read_table(name: str, path: Path | None = None) -> pd.DataFrame:
    """Return warehouse table ``name`` as a DataFrame; unknown names raise ``R2PInputError``."""
    with connect(path) as con:
        names = _tables(con)
        if name not in names:
            raise R2PInputError(f"no warehouse table {name!r}." + suggest(name, names))
        return con.execute(f'SELECT * FROM "{name}"').df()


def query(sql: str, params: list[object] | None = None, path: Path | None = None) -> pd.DataFrame:
    """Return the result of a read-only SQL query on the warehouse as a DataFrame."""
    with connect(path) as con:
        return con.execute(sql, params or []).df()


def write_table(
    name: str,
    df: pd.DataFrame,
    path: Path | None = None,
    *,
    ensure: bool = True,
    lock_wait_seconds: float = 0.0,
) -> None:
    """Create or replace derived table ``name`` from ``df`` in one transaction.

    Shipped-source tables cannot be overwritten this way (``R2PInputError``). ``ensure`` and
    ``lock_wait_seconds`` (seconds to wait out another process's lock on the file; 0 fails at
    once) are as for ``connect``.
    """
    if name in MANAGED_TABLES:
        raise R2PInputError(f"table {name!r} is built from shipped data and cannot be overwritten.")
    if not name.replace("_", "").isalnum():
        raise R2PInputError(f"table name {name!r} must be letters, digits and underscores.")
    with connect(path, read_only=False, ensure=ensure, lock_wait_seconds=lock_wait_seconds) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("_frame", df)
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')
            con.unregister("_frame")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise


@lru_cache(maxsize=4)
def _country_index(path_key: str) -> CountryIndex:
    with connect(Path(path_key)) as con:
        return CountryIndex(con.execute("SELECT * FROM countries").df(),
                            con.execute("SELECT * FROM country_aliases").df())


def countries(path: Path | None = None) -> CountryIndex:
    """Return the country index (resolve names/codes to ``Country``) of the warehouse."""
    return _country_index(str(ensure_warehouse(path)))
