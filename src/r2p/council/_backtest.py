"""Temporal backtest of P5 vetoes: every draft after the training period is predicted from
everything dated strictly before it.

Protocol: the first fit uses drafts dated up to 31 December of ``train_until``.
Later drafts are scored in calendar quarters; before each quarter the
permanent-member veto model is refitted on every vote dated before the
quarter's first day, and each draft's features (alignment, sponsors, history of
the Council's votes on the target) use only drafts dated strictly before its
own date. A draft never sees its own vote or a later one.

Scored: one row per (draft, permanent member), ``p_veto`` = the veto model's
probability of a "no" that is a veto (``p_logistic_only``: its logistic half alone),
``vetoed`` = 1 if that member's "no" defeated a draft the record codes as vetoed.
Compared with two baselines fitted on the same information: the base rate (share
of vetoes among earlier P5 votes) and "the member that vetoed on this topic before
vetoes again" (the earlier veto rate of members with / without a previous veto on
the same target).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from r2p.council._cache import cached
from r2p.council._model import C_VETO, design, fit_veto, veto_matrix
from r2p.errors import R2PInputError

EPS = 1e-6
_H_VETOED = "h_vetoed_before"


@dataclass
class BacktestResult:
    """Per-row predictions (``rows``) and pooled metrics (``metrics``: name → value)."""

    rows: pd.DataFrame
    metrics: dict[str, float]


def brier(p: np.ndarray, y: np.ndarray) -> float:
    """Return the mean squared error of probabilities ``p`` against 0/1 outcomes ``y``."""
    return float(np.mean((p - y) ** 2))


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Return the mean negative log-likelihood (nats) of 0/1 outcomes ``y`` under ``p``."""
    q = np.clip(p, EPS, 1 - EPS)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def _check_train_until(train_until: int) -> int:
    if not 1994 <= int(train_until) <= 2024:
        raise R2PInputError(f"--train-until must be between 1994 and 2024 (the record is 1994–2025), "
                            f"got {train_until}.")
    return int(train_until)


def veto_backtest(train_until: int = 2010) -> BacktestResult:
    """Return ``run_backtest(train_until)`` (quarterly refits, every later year scored), cached on disk.

    The first call for a ``train_until`` computes it (2010: about 30 s of CPU; 2022: about 10 s) and
    stores it under ``home_dir()/cache/council``, keyed by the warehouse fingerprint and ``CODE_VERSION``
    like the fitted models; later calls, in any process, read it back (well under a second).
    """
    year = _check_train_until(train_until)
    return cached("veto_backtest", lambda: run_backtest(year), train_until=year)


def run_backtest(train_until: int, *, last_year: int | None = None, c_reg: float = C_VETO,
                 refit: str = "quarter") -> BacktestResult:
    """Run the rolling backtest described in the module docstring; return rows and metrics.

    ``train_until``: last year of the first training window (1994–2024). ``last_year``:
    last year scored (default: all). ``refit``: ``quarter`` or ``year``.
    """
    from r2p.council._features import FEATURES

    _check_train_until(train_until)
    if refit not in ("quarter", "year"):
        raise R2PInputError(f"refit must be 'quarter' or 'year', got {refit!r}.")
    D = design()
    start = np.datetime64(f"{int(train_until) + 1}-01-01", "us")
    test = D.permanent & (D.date >= start)
    if last_year is not None:
        test &= D.date < np.datetime64(f"{int(last_year) + 1}-01-01", "us")
    if not test.any():
        raise R2PInputError(f"no drafts to score after {train_until}.")
    ts = pd.DatetimeIndex(D.date[test])
    period = ts.to_period("Q" if refit == "quarter" else "Y")
    idx_test = np.flatnonzero(test)
    flag_col = FEATURES.index(_H_VETOED)
    p_model = np.empty(len(idx_test))
    p_logistic = np.empty(len(idx_test))
    p_base = np.empty(len(idx_test))
    p_repeat = np.empty(len(idx_test))
    for per in period.unique():
        sel = np.asarray(period == per)
        cut = np.datetime64(per.start_time.date(), "us")
        train = D.permanent & (D.date < cut)
        model = fit_veto(train, c_reg=c_reg)
        rows = idx_test[sel]
        Xv = veto_matrix(D.X[rows], D.member[rows])
        p_model[sel] = model.proba(Xv)
        p_logistic[sel] = model.logistic.proba(Xv)[:, 2]
        vet = D.vetoed[train]
        p_base[sel] = vet.mean()
        flag_train = D.X[train, flag_col] > 0
        rate1 = (vet[flag_train].sum() + 0.5) / (flag_train.sum() + 1.0)
        rate0 = (vet[~flag_train].sum() + 0.5) / ((~flag_train).sum() + 1.0)
        p_repeat[sel] = np.where(D.X[rows, flag_col] > 0, rate1, rate0)
    y = D.vetoed[idx_test].astype(float)
    rows_df = pd.DataFrame({
        "draft_id": D.draft_id[idx_test], "date": pd.DatetimeIndex(D.date[idx_test]).date,
        "target": D.target[idx_test], "member": D.member[idx_test], "p_veto": p_model,
        "vetoed": y.astype(int), "p_base_rate": p_base, "p_repeat_veto": p_repeat,
        "p_logistic_only": p_logistic,
    })
    oracle = np.full_like(y, y.mean())
    m: dict[str, float] = {
        "train_until": float(train_until), "drafts": float(len(np.unique(D.draft_id[idx_test]))),
        "p5_votes": float(len(y)), "vetoes": float(y.sum()),
        "brier_model": brier(p_model, y), "brier_base_rate": brier(p_base, y),
        "brier_test_rate": brier(oracle, y), "brier_repeat_veto": brier(p_repeat, y),
        "logloss_model": log_loss(p_model, y), "logloss_base_rate": log_loss(p_base, y),
        "logloss_test_rate": log_loss(oracle, y), "logloss_repeat_veto": log_loss(p_repeat, y),
        "brier_logistic_only": brier(p_logistic, y), "logloss_logistic_only": log_loss(p_logistic, y),
    }
    m["brier_skill_vs_base_rate"] = 1 - m["brier_model"] / m["brier_base_rate"]
    m["brier_skill_vs_test_rate"] = 1 - m["brier_model"] / m["brier_test_rate"]
    m["brier_skill_vs_repeat_veto"] = 1 - m["brier_model"] / m["brier_repeat_veto"]
    m["brier_skill_repeat_vs_test_rate"] = 1 - m["brier_repeat_veto"] / m["brier_test_rate"]
    m["brier_skill_logistic_only_vs_base_rate"] = 1 - m["brier_logistic_only"] / m["brier_base_rate"]
    m.update(vote_holdout(int(train_until), last_year))
    if 0 < y.sum() < len(y):
        from sklearn.metrics import roc_auc_score

        m["auc_model"] = float(roc_auc_score(y, p_model))
        m["auc_repeat_veto"] = float(roc_auc_score(y, p_repeat))
        m["auc_logistic_only"] = float(roc_auc_score(y, p_logistic))
    return BacktestResult(rows_df, m)


def vote_holdout(train_until: int, last_year: int | None = None) -> dict[str, float]:
    """Return held-out log loss (nats per vote) of the yes/abstain/no regressions fitted once on
    votes up to ``train_until`` and scored on every later vote, against each seat type's
    training-period vote shares; keys ``votes_logloss_{p5,elected}``, ``…_base`` and ``…_skill``."""
    from r2p.council._model import _p5_dummies, fit_votes, vote_matrix

    D = design()
    start = np.datetime64(f"{train_until + 1}-01-01", "us")
    train = D.date < start
    test = ~train
    if last_year is not None:
        test &= D.date < np.datetime64(f"{last_year + 1}-01-01", "us")
    fitted = fit_votes(train)
    out: dict[str, float] = {}
    for name, perm, model in (("p5", True, fitted.p5), ("elected", False, fitted.elected)):
        te = test & (D.permanent == perm)
        tr = train & (D.permanent == perm)
        X = np.hstack([vote_matrix(D.X[te]), _p5_dummies(D.member[te])]) if perm else vote_matrix(D.X[te])
        y = D.y[te]
        p = model.proba(X)[np.arange(len(y)), y]
        freq = np.bincount(D.y[tr], minlength=3) / tr.sum()
        ll_model = float(-np.mean(np.log(np.clip(p, EPS, 1))))
        ll_base = float(-np.mean(np.log(np.clip(freq[y], EPS, 1))))
        out[f"votes_logloss_{name}"] = ll_model
        out[f"votes_logloss_{name}_base"] = ll_base
        out[f"votes_logloss_{name}_skill"] = 1 - ll_model / ll_base
    return out
