"""``r2p risk`` as a user runs it (in-process through ``r2p.cli.main``, plus one real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest


def _run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    from r2p.cli import main

    monkeypatch.setattr(sys, "argv", ["r2p", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_backtest_cli_writes_csv_and_json(warehouse, tmp_path: Path, monkeypatch, capsys):  # noqa: ARG001
    out = tmp_path / "bt.csv"
    code, stdout, err = _run(monkeypatch, capsys, "risk", "backtest", "--model", "elastic_net",
                             "--out", str(out),
                             "--json")
    assert code == 0, err
    metrics = json.loads(stdout)
    assert abs(metrics["auc"] - 0.838) < 0.02 and metrics["n_onsets"] == 39
    table = pd.read_csv(out)
    assert {"year", "country", "ccode", "risk_prev", "mk_onset"} <= set(table.columns)
    assert table["mk_onset"].sum() >= 39


@pytest.mark.parametrize("args, message", [
    (["risk", "backtest", "--model", "elastc_net", "--out", "{tmp}/bt.csv"], "elastic_net"),
    (["risk", "backtest", "--model", "elastic_net", "--out", "{tmp}/missing/bt.csv"], "does not exist"),
    (["risk", "backtest", "--model", "elastic_net", "--out", "{tmp}/bt.txt"], ".csv"),
    (["risk", "forecast", "--base-year", "1950"], "outside the data"),
    (["risk", "report", "--model", "nope", "--out", "{tmp}/rep"], "unknown model"),
])
def test_bad_input_exits_2_and_writes_nothing(warehouse, tmp_path, monkeypatch, capsys, args, message):  # noqa: ARG001
    code, _, err = _run(monkeypatch, capsys, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code == 2 and message in err
    assert list(tmp_path.iterdir()) == []


def test_forecast_and_report(warehouse, tmp_path: Path, monkeypatch, capsys):  # noqa: ARG001
    code, stdout, err = _run(monkeypatch, capsys, "risk", "forecast", "--base-year", "2024", "--top", "5",
                             "--model", "elastic_net", "--json")
    assert code == 0, err
    rows = json.loads(stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["risk_2y"] >= rows[-1]["risk_2y"] and rows[0]["drivers"][0]["label"]
    code, stdout, err = _run(monkeypatch, capsys, "risk", "report", "--model", "elastic_net", "--out",
                             str(tmp_path / "rep"), "--json")
    assert code == 0, err
    files = json.loads(stdout)["files"]
    assert Path(files[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "recall@30" in Path(files[1]).read_text()
    assert "AUC" in Path(files[2]).read_text()


def test_console_command_exit_code(warehouse, tmp_path: Path):  # noqa: ARG001
    res = subprocess.run([sys.executable, "-m", "r2p.cli", "risk", "forecast", "--base-year", "2031"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 2 and "outside the data" in res.stderr


def test_demo_ranking_page(warehouse, tmp_path: Path):  # noqa: ARG001
    from r2p.risk._demo import write_ranking

    (line,) = write_ranking(tmp_path, model="elastic_net")
    page = (tmp_path / "risk-ranking-2024.html").read_text()
    assert str(tmp_path / "risk-ranking-2024.html") in line
    assert page.count("<tr><td class=num>") == 30
    assert "Myanmar" in page and "2025–2026" in page and "log-odds" in page
