"""Sobol sensitivity indices (SALib) of each outcome to each parameter, per regime arm.

For a regime arm, the outcome of parameter draw ``i`` is its mean over the sweep's scenarios
(each scenario uses the same parameter rows), so the indices say which parameters move that
regime's outcome across the scenario set. First-order (S1) and total (ST) indices come with
the half-width of their bootstrap confidence interval (``S1_conf``, ``ST_conf``, 95 %).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from r2p.errors import R2PInputError
from r2p.sweep import _model, _store
from r2p.sweep._config import SweepConfig

SOBOL_COLUMNS = ["regime", "outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]


def sobol_of(y: np.ndarray, names: list[str], seed: int = 0, num_resamples: int = 100) -> pd.DataFrame:
    """Return S1, S1_conf, ST, ST_conf per parameter for outputs ``y`` in SALib Saltelli order.

    A constant output has no variance to apportion: its indices are 0 (not NaN).
    """
    from SALib.analyze import sobol

    d = len(names)
    y = np.asarray(y, dtype=float)
    if y.size % (d + 2):
        raise R2PInputError(f"{y.size} outputs do not fit a Saltelli design with {d} parameters.")
    if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
        zeros = np.zeros(d)
        return pd.DataFrame(
            {"parameter": names, "S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros}
        )
    problem = {"num_vars": d, "names": names, "bounds": [[0.0, 1.0]] * d}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        si = sobol.analyze(problem, y, calc_second_order=False, num_resamples=num_resamples, seed=seed)
    return pd.DataFrame(
        {
            "parameter": names,
            "S1": si["S1"],
            "S1_conf": si["S1_conf"],
            "ST": si["ST"],
            "ST_conf": si["ST_conf"],
        }
    )


def per_draw_mean(results: pd.DataFrame, regime: str, column: str) -> np.ndarray:
    """Return ``column`` of ``regime`` averaged over scenarios, one value per draw_id (sorted)."""
    sub = results[results["regime"] == regime]
    return sub.groupby("draw_id")[column].mean().sort_index().to_numpy()


def compute_sobol(cfg: SweepConfig, warehouse: Path) -> pd.DataFrame:
    """Compute and store (``sweep_<name>_sobol``) the Sobol indices of every outcome, per regime arm."""
    if cfg.sampling.method != "saltelli":
        raise R2PInputError(
            f"sweep {cfg.name!r} samples with method 'random'; Sobol indices need sampling.method: saltelli."
        )
    _, results = _store.read_results(warehouse, cfg.name)
    names = cfg.parameter_names
    frames = []
    for r in cfg.regimes:
        for col in _model.outcome_columns():
            y = per_draw_mean(results, r.name, col)
            if len(y) != cfg.rows_per_cell:
                raise R2PInputError(
                    f"sweep {cfg.name!r} is incomplete for regime {r.name!r} "
                    f"({len(y)} of {cfg.rows_per_cell} draws); rerun `r2p sweep` to finish it."
                )
            df = sobol_of(y, names, seed=cfg.seed)
            df.insert(0, "outcome", col)
            df.insert(0, "regime", r.name)
            frames.append(df)
    table = pd.concat(frames, ignore_index=True)[SOBOL_COLUMNS]
    _store.write_frame(warehouse, f"{cfg.table}_sobol", table)
    return table
