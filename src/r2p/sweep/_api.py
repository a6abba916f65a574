"""Reading stored sweeps back: results, catalog, Sobol indices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from r2p.errors import R2PInputError
from r2p.sweep import _store
from r2p.sweep._config import SweepConfig


def _path(warehouse: Path | None) -> Path:
    from r2p.data import ensure_warehouse

    return ensure_warehouse(warehouse)


def read_sweep(name: str, warehouse: Path | None = None) -> tuple[SweepConfig, pd.DataFrame]:
    """Return (config, results) of stored sweep ``name``; one results row per regime × scenario × draw.

    Outcome columns are ``<outcome>__<stat>`` (stat over Monte Carlo draws: mean, median).
    """
    entry, df = _store.read_results(_path(warehouse), name)
    return SweepConfig.model_validate_json(entry["config_json"]), df


def list_sweeps(warehouse: Path | None = None) -> pd.DataFrame:
    """Return the sweep catalog: name, status, chunks done/total, config hash, code version."""
    return _store.list_sweeps(_path(warehouse))


def sweep_sobol(name: str, warehouse: Path | None = None) -> pd.DataFrame:
    """Return the stored Sobol indices of sweep ``name`` (regime, outcome, parameter, S1, ST + conf)."""
    path = _path(warehouse)
    cfg, _ = read_sweep(name, path)
    df = _store.read_frame(path, f"{cfg.table}_sobol")
    if df is None:
        raise R2PInputError(
            f"sweep {name!r} has no Sobol indices (it needs sampling.method: saltelli and a complete run)."
        )
    return df


def run_claims(
    *,
    sweep: str | None = None,
    config: Path | str | None = None,
    claims: Path | str | None = None,
    warehouse: Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    show_progress: bool = True,
) -> tuple[SweepConfig, list[Any], pd.DataFrame]:
    """Evaluate claims on a sweep; return (config, ``ClaimResult`` list, sweep results).

    ``sweep`` reads a stored sweep by name; otherwise ``config`` (a sweep file; default the
    shipped ``claims`` sweep) is run or resumed first. ``claims`` is a claims YAML file (default:
    the report's claims shipped with r2p). Claims are checked before any sweep runs.
    """
    from r2p.sweep._claims import evaluate_claims, load_claims
    from r2p.sweep._run import run_sweep, shipped_sweep

    parsed = load_claims(claims)
    path = _path(warehouse)
    if sweep is None:
        run = run_sweep(
            config if config is not None else shipped_sweep("claims_sweep"),
            workers=workers,
            scheduler=scheduler,
            warehouse=path,
            show_progress=show_progress,
        )
        sweep = run.name
    elif config is not None:
        raise R2PInputError("give either --sweep NAME (a stored sweep) or --config FILE, not both.")
    cfg, df = read_sweep(sweep, path)
    entry = _store.catalog_entry(path, sweep) or {}
    if entry.get("status") != "complete":
        raise R2PInputError(
            f"sweep {sweep!r} is not complete ({entry.get('chunks_done')} of "
            f"{entry.get('total_chunks')} chunks); rerun `r2p sweep` with its file to finish it."
        )
    return cfg, evaluate_claims(parsed, cfg, df), df
