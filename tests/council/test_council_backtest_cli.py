"""The temporal backtest (no look-ahead) and the command line."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest

from r2p.council import run_backtest
from r2p.council._features import FEATURES, History, draft_key
from r2p.council._model import _drafts_with_keys, design
from r2p.council._records import load_votes


def test_history_features_use_only_earlier_drafts(warehouse: object) -> None:
    """Recompute the history block of a late draft from a record cut at its date: identical."""
    D = design()
    drafts = _drafts_with_keys()
    votes = load_votes()
    start = FEATURES.index("h_no")
    for draft_id in (1610, drafts["draft_id"].iloc[-1]):
        d = drafts[drafts["draft_id"] == draft_id].iloc[0]
        early = drafts[drafts["date"] < d["date"]]
        hist = History()
        hist.update(early, votes[votes["draft_id"].isin(early["draft_id"])])
        rows = np.flatnonzero(D.draft_id == draft_id)
        for r in rows:
            expect = hist.features(draft_key(d["target"], d["topic"]), D.member[r], d["date"])
            assert np.allclose(D.X[r, start:start + len(expect)], expect)


def test_backtest_short_window(warehouse: object) -> None:
    res = run_backtest(2022)
    rows = res.rows
    assert list(rows.columns[:6]) == ["draft_id", "date", "target", "member", "p_veto", "vetoed"]
    assert (pd.to_datetime(rows["date"]) >= "2023-01-01").all()
    assert rows.groupby("draft_id").size().max() == 5
    assert rows["p_veto"].between(0, 1).all()
    m = res.metrics
    assert m["vetoes"] == rows["vetoed"].sum() > 0
    assert m["brier_model"] == pytest.approx(((rows["p_veto"] - rows["vetoed"]) ** 2).mean())
    assert 0.5 < m["auc_model"] <= 1.0


def _run_cli(args: list[str], monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from r2p.cli import main

    monkeypatch.setattr(sys, "argv", ["r2p", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_cli_predict_json(warehouse: object, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run_cli(["council", "predict", "--target", "SYR", "--year", "2016", "--instrument",
                          "arms_embargo", "--restraint", "RUS=0.5", "--json"], monkeypatch, capsys)
    assert code == 0
    data = json.loads(out)
    assert [d["instrument"] for d in data["drafts"]] == ["arms_embargo"]
    assert len(data["votes"]) == 15 and data["manifest"] is True


@pytest.mark.parametrize("args", [
    ["council", "predict", "--target", "XXX", "--year", "2016"],
    ["council", "predict", "--target", "SYR", "--year", "1900"],
    ["council", "predict", "--target", "SYR", "--year", "2016", "--instrument", "sanctions"],
    ["council", "predict", "--target", "SYR", "--year", "2016", "--restraint", "RUS=3"],
    ["council", "predict", "--target", "SYR", "--year", "2016", "--restraint", "DEU=0.5"],
    ["council", "backtest", "--train-until", "1980", "--out", "x.csv"],
])
def test_cli_bad_input_exits_2(args: list[str], warehouse: object, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run_cli(args, monkeypatch, capsys)
    assert code == 2, out
    assert "error" in out.lower()


def test_cli_backtest_writes_csv(tmp_path: object, warehouse: object, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    out_file = Path(str(tmp_path)) / "bt.csv"
    code, out = _run_cli(["council", "backtest", "--train-until", "2023", "--out", str(out_file), "--json"],
                         monkeypatch, capsys)
    assert code == 0, out
    metrics = json.loads(out)
    df = pd.read_csv(out_file)
    assert len(df) == metrics["p5_votes"] and set(df["member"]) <= {"USA", "GBR", "FRA", "RUS", "CHN"}
