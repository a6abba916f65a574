"""`r2p data` as a user runs it: JSON output and exit code 2 on corrupt data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from r2p.data import data_dir


def _r2p(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "r2p.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_verify_json_counts_every_listed_file(warehouse: Path) -> None:
    out = _r2p("data", "verify", "--json")
    assert out.returncode == 0, out.stderr
    listed = (data_dir() / "checksums.sha256").read_text().strip().splitlines()
    assert json.loads(out.stdout) == {"files_checked": len(listed), "all_match": True}


def test_verify_names_a_corrupt_file_and_exits_2(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    (copy / "un" / "unsc_vetoes_1946_2022.csv").write_text("tampered\n")
    out = _r2p("data", "verify", env={"R2P_DATA_DIR": str(copy)})
    assert out.returncode == 2
    assert "unsc_vetoes_1946_2022.csv is corrupt" in out.stderr


def test_unknown_country_exits_2_with_suggestion(warehouse: Path) -> None:
    out = _r2p("data", "country", "Sudann")
    assert out.returncode == 2
    assert "Did you mean 'Sudan'" in out.stderr
