"""Running sweeps: results stored per chunk, resumable, independent of chunking and of where
they run (in-process, LocalCluster processes, an existing scheduler)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from r2p.errors import R2PInputError
from r2p.sweep import list_sweeps, load_sweep_config, read_sweep, run_sweep, sweep_sobol
from r2p.sweep._run import code_version
from r2p.sweep._sobol import sobol_of


def _values(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["chunk_id"]).sort_values(["regime", "scenario", "draw_id"]).reset_index(drop=True)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_in_process_run_stores_every_row_with_config_and_version(
    sweep_warehouse: Path, tiny_config: Callable[..., Path]
) -> None:
    cfg_path = tiny_config()
    run = run_sweep(cfg_path, show_progress=False, threads=1)
    cfg, df = read_sweep("tiny")
    assert cfg == load_sweep_config(cfg_path)  # stored config round-trips, parameter order included
    assert cfg.parameter_names == ["regime.council.first_session_weeks", "perpetrator.growth"]
    assert run.chunks_run == run.total_chunks and run.chunks_skipped == 0
    assert len(df) == cfg.total_rows == 16
    assert not df.duplicated(["regime", "scenario", "draw_id"]).any()
    assert set(df["regime"]) == {"status_quo", "slow_council"}
    assert np.isfinite(df["deaths_civilian__median"]).all() and (df["deaths_civilian__median"] >= 0).all()
    cat = list_sweeps().set_index("name").loc["tiny"]
    assert cat["status"] == "complete" and cat["chunks_done"] == run.total_chunks
    assert cat["config_hash"] == load_sweep_config(cfg_path).config_hash()
    assert cat["code_version"] == code_version()
    si = sweep_sobol("tiny")
    assert set(si["regime"]) == {"status_quo", "slow_council"}
    assert set(si["parameter"]) == {"perpetrator.growth", "regime.council.first_session_weeks"}
    # Rerunning the same command recomputes nothing and changes nothing.
    before = _digest(sweep_warehouse)
    again = run_sweep(cfg_path, show_progress=False, threads=1)
    assert again.chunks_run == 0 and again.chunks_skipped == run.total_chunks
    assert _digest(sweep_warehouse) == before


def test_results_do_not_depend_on_chunking(sweep_warehouse: Path, tiny_config: Callable[..., Path]) -> None:
    run_sweep(tiny_config(name="by_two", chunk=2), show_progress=False, threads=1)
    run_sweep(tiny_config(name="by_five", chunk=5), show_progress=False, threads=1)
    a, b = read_sweep("by_two")[1], read_sweep("by_five")[1]
    assert a["chunk_id"].nunique() != b["chunk_id"].nunique()
    pd.testing.assert_frame_equal(_values(a), _values(b))


def test_a_chunk_runs_as_one_batch_equal_to_each_row_simulated_alone(
    sweep_warehouse: Path, tiny_config: Callable[..., Path]
) -> None:
    from r2p.crisis import simulate
    from r2p.sweep import _model, sample_parameters

    cfg = load_sweep_config(tiny_config(n=2, mc=60, weeks=40))
    params = sample_parameters(cfg)
    prepared = _model.prepare(cfg, params)
    rows = params.reset_index()
    scenario = next(iter(prepared.scenarios.values()))
    for arm in prepared.regimes.values():
        batch = _model.evaluate_chunk(arm, scenario, rows, cfg.mc_draws, cfg.weeks, 99)
        halves = pd.concat(
            [
                _model.evaluate_chunk(arm, scenario, part, cfg.mc_draws, cfg.weeks, 99)
                for part in (rows[:3], rows[3:])
            ]
        )
        pd.testing.assert_frame_equal(batch, halves, check_exact=True)  # chunking changes nothing
        scenarios, regimes, seeds = _model.row_inputs(arm, scenario, rows, 99)
        for i in range(len(rows)):
            alone = simulate(
                scenarios[i], regimes[i], draws=cfg.mc_draws, weeks=cfg.weeks, seed=seeds[i]
            ).draws
            got = batch.iloc[i]
            deaths = alone["deaths_civilian"]
            protection = alone["weeks_to_protection"].fillna(cfg.weeks)  # censored at the horizon
            legitimacy = alone[list(_model.BLOCS)].mean(axis=1).dropna()
            assert got["deaths_civilian__mean"] == pytest.approx(deaths.mean(), rel=1e-12)
            assert got["deaths_civilian__median"] == deaths.median()
            assert got["weeks_to_protection__median"] == protection.median()
            assert got["force_withheld__mean"] == pytest.approx(alone["force_withheld"].mean(), rel=1e-12)
            assert got["coordination_index__median"] == pytest.approx(
                alone["coordination_index"].median(), nan_ok=True
            )
            assert got["legitimacy__mean"] == pytest.approx(
                legitimacy.mean() if len(legitimacy) else np.nan, rel=1e-12, nan_ok=True
            )


def test_changed_config_under_same_name_is_refused_without_fresh(
    sweep_warehouse: Path, tiny_config: Callable[..., Path]
) -> None:
    run_sweep(tiny_config(), show_progress=False, threads=1)
    before = _digest(sweep_warehouse)
    changed = tiny_config(mc=17)
    with pytest.raises(R2PInputError, match="different config"):
        run_sweep(changed, show_progress=False, threads=1)
    assert _digest(sweep_warehouse) == before
    run = run_sweep(changed, fresh=True, show_progress=False, threads=1)
    assert run.chunks_run == run.total_chunks
    assert (
        load_sweep_config(changed).config_hash() == list_sweeps().set_index("name").loc["tiny", "config_hash"]
    )


def test_two_local_worker_processes_give_identical_results(
    sweep_warehouse: Path, tiny_config: Callable[..., Path]
) -> None:
    run_sweep(tiny_config(name="here"), show_progress=False, threads=1)
    run = run_sweep(tiny_config(name="there"), workers=2, show_progress=False)
    assert "2 local worker" in run.where
    pd.testing.assert_frame_equal(_values(read_sweep("here")[1]), _values(read_sweep("there")[1]))


def test_local_workers_keep_glibc_adaptive_malloc_and_one_blas_thread() -> None:
    """Dask's default MALLOC_TRIM_THRESHOLD_ turns off glibc's adaptive mmap threshold, which made
    every simulator chunk ~1.7× slower in the workers; ours are spawned without it."""
    import os

    from r2p.sweep._run import open_client

    with open_client(workers=1) as (client, _):
        env = next(iter(client.run(lambda: dict(os.environ)).values()))
    assert "MALLOC_TRIM_THRESHOLD_" not in env
    assert env.get("OMP_NUM_THREADS") == "1"


def test_existing_scheduler_runs_the_same_sweep(
    sweep_warehouse: Path, tiny_config: Callable[..., Path]
) -> None:
    from distributed import LocalCluster

    run_sweep(tiny_config(name="here"), show_progress=False, threads=1)
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=":0",
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        run = run_sweep(tiny_config(name="remote"), scheduler=cluster.scheduler_address, show_progress=False)
    assert run.where.startswith("scheduler tcp://")
    pd.testing.assert_frame_equal(_values(read_sweep("here")[1]), _values(read_sweep("remote")[1]))


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_scheduler_fails_before_anything_is_stored(
    sweep_warehouse: Path, tiny_config: Callable[..., Path]
) -> None:
    before = _digest(sweep_warehouse)
    with pytest.raises(R2PInputError, match="cannot reach a Dask scheduler"):
        run_sweep(tiny_config(), scheduler=f"tcp://127.0.0.1:{_free_port()}", show_progress=False)
    assert _digest(sweep_warehouse) == before
    with pytest.raises(R2PInputError, match="tcp://HOST:PORT"):
        run_sweep(tiny_config(), scheduler="localhost:8786", show_progress=False)
    with pytest.raises(R2PInputError, match="missing port.*tcp://HOST:PORT"):
        run_sweep(tiny_config(), scheduler="tcp://127.0.0.1", show_progress=False)
    assert _digest(sweep_warehouse) == before


def test_disk_too_small_for_the_estimate_fails_before_work(
    sweep_warehouse: Path, tiny_config: Callable[..., Path]
) -> None:
    before = _digest(sweep_warehouse)
    huge = tiny_config(name="huge", n=2**40)  # ~4e12 rows: no disk holds that
    with pytest.raises(R2PInputError, match="GB free"):
        run_sweep(huge, show_progress=False, threads=1)
    assert _digest(sweep_warehouse) == before
    con = duckdb.connect(str(sweep_warehouse), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert "sweep_huge" not in tables


def test_sobol_indices_recover_a_known_function() -> None:
    from SALib.sample import sobol as sobol_sample

    names = ["a", "b", "c"]
    x = sobol_sample.sample(
        {"num_vars": 3, "names": names, "bounds": [[0, 1]] * 3}, 256, calc_second_order=False, seed=1
    )
    y = 4 * x[:, 0] + 1 * x[:, 1]  # variance shares 16:1:0
    si = sobol_of(y, names, seed=1).set_index("parameter")
    assert si.loc["a", "ST"] == pytest.approx(16 / 17, abs=0.05)
    assert si.loc["b", "S1"] == pytest.approx(1 / 17, abs=0.05)
    assert abs(si.loc["c", "ST"]) < 0.01
    assert (si["ST_conf"] >= 0).all()
    flat = sobol_of(np.ones(len(y)), names)
    assert (flat[["S1", "ST"]].to_numpy() == 0).all()


def test_scenario_before_the_vote_record_is_refused_by_name_before_anything_is_stored(
    sweep_warehouse: Path, tmp_path: Path
) -> None:
    cfg = tmp_path / "old.yaml"
    cfg.write_text(
        "name: old\nseed: 1\nregimes: [status_quo]\n"
        "scenarios: [{target: RWA, year: 1994}, {target: KHM, year: 1975}]\n"
        "parameters: {perpetrator.growth: {dist: uniform, low: 0.05, high: 0.25}}\n"
        "sampling: {method: random, n: 4}\nmc_draws: 10\nweeks: 10\n"
    )
    before = _digest(sweep_warehouse)
    with pytest.raises(R2PInputError, match=r"scenario KHM-1975 \(KHM 1975\): too few recorded votes"):
        run_sweep(cfg, show_progress=False, threads=1)
    assert _digest(sweep_warehouse) == before
