"""The warehouse: checksums, typed tables, provenance, atomic and idempotent builds."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from r2p.data import DATASETS, build_warehouse, data_dir, read_table, write_table
from r2p.data._checksums import expected_checksums
from r2p.errors import R2PDataError, R2PInputError


@pytest.fixture()
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the shipped data, selected through R2P_DATA_DIR."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    monkeypatch.setenv("R2P_DATA_DIR", str(copy))
    expected_checksums.cache_clear()
    yield copy
    expected_checksums.cache_clear()


def test_every_table_loaded_with_its_rows(warehouse: Path) -> None:
    prov = read_table("provenance")
    by_table = dict(zip(prov["table_name"], prov["rows"], strict=False))
    # Row counts documented in data/SOURCES.md.
    assert by_table["ewp_panel"] == 9463
    assert by_table["ga_votes"] == 870109
    assert by_table["unsc_draft_votes_raw"] == 29929
    assert by_table["unsc_vetoes"] == 214
    assert by_table["unsc_resolutions"] == 2641
    assert set(by_table) >= {d.table for d in DATASETS}
    for ds in DATASETS:
        assert len(prov.loc[prov.table_name == ds.table, "sha256"].iloc[0]) == 64


def test_tables_are_typed(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    types = dict(con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'unsc_vetoes'").fetchall())
    con.close()
    assert types["date"] == "DATE"
    assert types["year"] in ("BIGINT", "INTEGER")
    coefs = read_table("ewp_published_coefficients")
    assert coefs["coef.full"].dtype.kind == "f"


def test_corrupt_file_is_named_and_old_warehouse_kept(data_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "wh.duckdb"
    first = build_warehouse(target)
    before = target.read_bytes()
    with open(data_copy / "un" / "unsc_vetoes_1946_2022.csv", "a") as fh:
        fh.write("tampered\n")
    with pytest.raises(R2PDataError, match="unsc_vetoes_1946_2022.csv.*corrupt"):
        build_warehouse(target, force=True)
    assert target.read_bytes() == before
    assert first.rows["unsc_vetoes"] == 214
    assert not list(tmp_path.glob(".wh.duckdb.*"))


def test_missing_file_says_what_to_do(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "ewp" / "basedata2025_4august2025.csv").unlink()
    with pytest.raises(R2PDataError, match="basedata2025_4august2025.csv is missing.*git checkout"):
        build_warehouse(tmp_path / "wh.duckdb")
    assert not (tmp_path / "wh.duckdb").exists()


def test_rebuild_is_idempotent_and_keeps_derived_tables(data_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "wh.duckdb"
    first = build_warehouse(target)
    assert first.rebuilt
    write_table("my_results", pd.DataFrame({"x": [1, 2, 3]}), path=target)
    again = build_warehouse(target)
    assert not again.rebuilt
    forced = build_warehouse(target, force=True)
    assert forced.rebuilt
    assert {k: v for k, v in forced.rows.items() if k != "my_results"} == {
        k: v for k, v in first.rows.items()}
    assert read_table("my_results", path=target)["x"].tolist() == [1, 2, 3]


def test_shipped_tables_cannot_be_overwritten(warehouse: Path) -> None:
    with pytest.raises(R2PInputError, match="built from shipped data"):
        write_table("ewp_panel", pd.DataFrame({"x": [1]}))
    with pytest.raises(R2PInputError, match="letters, digits"):
        write_table("bad name; drop", pd.DataFrame({"x": [1]}))


def test_unknown_table_suggests(warehouse: Path) -> None:
    with pytest.raises(R2PInputError, match="ewp_panel"):
        read_table("ewp_panle")


def _hold_write_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Start a process that opens ``path`` for writing (DuckDB's file lock) for ``seconds``."""
    code = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "time.sleep(float(sys.argv[2])); con.close()")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_warehouse_another_process_is_writing_is_never_rebuilt(
        warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sweep writing its results holds DuckDB's lock; the staleness check and a forced build must
    wait for it (or fail clearly), never take the locked file for stale and drop its derived tables."""
    import r2p.data._warehouse as wh

    target = tmp_path / "wh.duckdb"
    shutil.copyfile(warehouse, target)
    write_table("sweep_results_demo", pd.DataFrame({"x": [1, 2, 3]}), path=target, ensure=False)
    inode = target.stat().st_ino
    monkeypatch.setattr(wh, "LOCK_WAIT_SECONDS", 0.5)
    holder = _hold_write_lock(target, 3.0)
    try:
        with pytest.raises(R2PDataError, match="in use by another process"):
            wh.ensure_warehouse(target)
        with pytest.raises(R2PDataError, match="in use by another process"):
            build_warehouse(target, force=True)
    finally:
        holder.wait()
    assert target.stat().st_ino == inode  # not replaced
    # a short hold is waited out: same file, derived table kept
    monkeypatch.setattr(wh, "LOCK_WAIT_SECONDS", 30.0)
    holder = _hold_write_lock(target, 1.0)
    try:
        assert wh.ensure_warehouse(target) == target
    finally:
        holder.wait()
    assert target.stat().st_ino == inode
    assert read_table("sweep_results_demo", path=target)["x"].tolist() == [1, 2, 3]
