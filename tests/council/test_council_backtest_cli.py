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


def test_veto_backtest_is_run_backtest_cached_on_disk(warehouse: object) -> None:
    """The public cached entry point gives the same bits as a fresh run, and stores them under the
    council cache (keyed like the models), so `r2p council backtest` and the dashboard reuse them."""
    from r2p.council import veto_backtest
    from r2p.council._cache import cache_dir, cache_key
    from r2p.errors import R2PInputError

    fresh = run_backtest(2023)
    first = veto_backtest(2023)
    assert (cache_dir() / f"{cache_key('veto_backtest', train_until=2023)}.pkl").exists()
    again = veto_backtest(2023)
    for got in (first, again):
        pd.testing.assert_frame_equal(got.rows, fresh.rows)
        assert got.metrics == fresh.metrics
    with pytest.raises(R2PInputError, match="between 1994 and 2024"):
        veto_backtest(1980)


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


def test_tree_arrays_reproduce_lightgbm(warehouse: object) -> None:
    """The NumPy evaluation of the veto trees equals LightGBM's own raw score on real rows."""
    import lightgbm as lgb

    from r2p.council._model import _Trees, veto_matrix

    D = design()
    rows = D.permanent & (D.date < np.datetime64("2012-01-01", "us"))
    X = veto_matrix(D.X[rows], D.member[rows])
    y = D.vetoed[rows]
    est = lgb.LGBMClassifier(n_estimators=40, num_leaves=6, min_child_samples=20, random_state=0,
                             n_jobs=1, verbose=-1).fit(X, y)
    trees = _Trees.from_lightgbm(est.booster_.dump_model())
    later = D.permanent & (D.date >= np.datetime64("2012-01-01", "us"))
    X_new = veto_matrix(D.X[later], D.member[later])
    expect = est.booster_.predict(X_new, raw_score=True)
    assert np.abs(trees.raw(X_new) - expect).max() < 1e-9
    assert np.std(expect) > 0  # the check is on a fitted, non-constant ensemble


def test_recent_veto_features_follow_the_record(warehouse: object) -> None:
    """Right after Russia's veto of 4 Oct 2011 on Syria its recent-veto tally on SYR is ~1; a
    member that never vetoed on SYR has 0; the tally halves every RECENT_HALF_LIFE_DAYS."""
    from r2p.council._features import RECENT_HALF_LIFE_DAYS

    hist = History()
    drafts = _drafts_with_keys()
    votes = load_votes()
    early = drafts[drafts["date"] <= pd.Timestamp("2011-10-04")]
    hist.update(early, votes[votes["draft_id"].isin(early["draft_id"])])
    i_recent = len(hist.features("SYR", "RUS", pd.Timestamp("2011-10-05"))) - 2
    next_day = hist.features("SYR", "RUS", pd.Timestamp("2011-10-05"))[i_recent]
    later = hist.features("SYR", "RUS", pd.Timestamp("2011-10-04") + pd.Timedelta(days=RECENT_HALF_LIFE_DAYS))
    assert next_day == pytest.approx(1.0, abs=0.01)
    assert later[i_recent] == pytest.approx(0.5, abs=1e-9)
    assert hist.features("SYR", "FRA", pd.Timestamp("2011-10-05"))[i_recent] == 0.0
