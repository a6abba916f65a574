"""Scores of a backtest table, on plain arrays (see docs/risk.md for the definitions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """Return the ROC AUC of ``score`` for binary ``y`` (ties count one half), 0–1; NaN if one class."""
    y = np.asarray(y, dtype=bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def brier(y: np.ndarray, p: np.ndarray) -> float:
    """Return the Brier score, the mean squared difference between ``p`` and ``y`` (probability²)."""
    return float(np.mean((np.asarray(p, float) - np.asarray(y, float)) ** 2))


def log_loss(y: np.ndarray, p: np.ndarray, eps: float = 1e-15) -> float:
    """Return the mean negative log-likelihood of ``y`` under ``p`` (nats per country-year)."""
    p = np.clip(np.asarray(p, float), eps, 1 - eps)
    y = np.asarray(y, float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def annualise(risk_2y: np.ndarray) -> np.ndarray:
    """Return the constant annual hazard h with 1 − (1 − h)² = ``risk_2y`` (probability of onset in
    one year, 0–1): the two-year risk turned into the one-year probability the outcome is scored on."""
    return 1.0 - np.sqrt(1.0 - np.clip(np.asarray(risk_2y, float), 0.0, 1.0))


def score_table(table: pd.DataFrame, *, score: str = "maxrisk2", rank: str = "minrank2",
                outcome: str = "mk_onset") -> dict[str, object]:
    """Return the protocol's metrics for a backtest table.

    Keys: ``auc``, ``brier``, ``log_loss`` (of ``score`` against ``outcome``), ``brier_1y`` and
    ``log_loss_1y`` (of the annualised score, see ``annualise``), ``n_onsets``,
    ``n_rows``, ``top10``/``top20``/``top30`` (onsets whose ``rank`` ≤ k, pooled count),
    ``recall_top30`` (share, 0–1), ``recall_top30_mean_by_year`` (mean over years with onsets) and
    ``by_year`` (list of dicts: year, onsets, top10, top20, top30).
    """
    df = table.dropna(subset=[score])
    y = df[outcome].to_numpy(dtype=float)
    p = df[score].to_numpy(dtype=float)
    annual = annualise(p)
    out: dict[str, object] = {
        "auc": auc(y, p), "brier": brier(y, p), "log_loss": log_loss(y, p),
        "brier_1y": brier(y, annual), "log_loss_1y": log_loss(y, annual),
        "n_onsets": int(y.sum()), "n_rows": len(df),
    }
    onsets = df[df[outcome] == 1]
    for k in (10, 20, 30):
        out[f"top{k}"] = int((onsets[rank] <= k).sum())
    out["recall_top30"] = int(out["top30"]) / max(1, len(onsets))  # type: ignore[call-overload]
    # Per-year counts on arrays (a pandas groupby per year costs more than the rest of the scoring).
    years = df["year"].to_numpy()
    hit = y == 1
    ranks = df[rank].to_numpy(dtype=float)
    by_year = []
    for year in np.unique(years):
        sel = hit & (years == year)
        by_year.append({"year": int(year), "onsets": int(sel.sum()),
                        **{f"top{k}": int((ranks[sel] <= k).sum()) for k in (10, 20, 30)}})
    with_onsets = [r for r in by_year if r["onsets"] > 0]
    out["recall_top30_mean_by_year"] = (float(np.mean([r["top30"] / r["onsets"] for r in with_onsets]))
                                        if with_onsets else float("nan"))
    out["by_year"] = by_year
    return out
