"""Sweep benchmarks: Dask scaling, per-chunk overhead, and the big-sweep goal (extrapolated).

1. ``sweep_2_workers_speedup``: the same sweep on a LocalCluster of 2 worker processes vs 1
   (wall time of ``run_sweep``, cluster start included); goal ≥ 1.6×. Also reported: the cores
   the workers actually got (chunk CPU seconds per wall second): on a shared machine (Linux
   autogroup scheduling shares CPU per session, not per process) that caps the speed-up.
2. ``sweep_chunk_overhead``: in-process with one worker thread, the steady-state time per
   committed chunk (scheduling, transfer, one DuckDB transaction) beyond the chunk's own
   compute, as a share of that compute; goal < 5 %. Baseline: the chunk compute.
3. ``big_sweep_minutes``: 6 regimes × 10 scenarios × 1,000 parameter draws × 1,000 Monte Carlo
   draws × 104 weeks on 2 workers. A full run is far too long for a benchmark, so a slice
   (6 regimes × 1 scenario × 16 parameter rows, same MC draws and weeks) is timed on 2 workers
   and its steady-state rate extrapolated linearly to the 60,000 rows; goal < 10 minutes.

Every run uses a private copy of the warehouse (nothing is added to the user's). The machine
may be shared: the numbers are wall-clock and say so.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

SCENARIOS = "[{target: RWA, year: 1994}]"
_TEMPLATE = """\
name: {name}
seed: 1
regimes: {regimes}
scenarios: {scenarios}
parameters:
  perpetrator.growth: {{dist: uniform, low: 0.05, high: 0.25}}
  regime.council.deliberation_weeks: {{dist: uniform, low: 2, high: 10}}
sampling: {{method: saltelli, n: {n}}}
mc_draws: {mc}
weeks: {weeks}
chunk_rows: {chunk}
"""
ALL = "[status_quo, break_the_law, un_reform, hi_doctrine, democracies, recommended]"


def _config(
    folder: Path,
    name: str,
    *,
    regimes: str = "[status_quo, recommended]",
    n: int = 4,
    mc: int = 1000,
    weeks: int = 104,
    chunk: int = 2,
) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        _TEMPLATE.format(
            name=name, regimes=regimes, scenarios=SCENARIOS, n=n, mc=mc, weeks=weeks, chunk=chunk
        )
    )
    return path


def _timed(cfg: Path, **kw: object) -> tuple[float, object]:
    from r2p.sweep import run_sweep

    started = time.perf_counter()
    run = run_sweep(cfg, fresh=True, show_progress=False, sobol=False, **kw)  # type: ignore[arg-type]
    return time.perf_counter() - started, run


def run() -> list[dict]:
    from r2p.data import ensure_warehouse

    source = ensure_warehouse()
    folder = Path(tempfile.mkdtemp(prefix="r2p-bench-sweep-"))
    old = os.environ.get("R2P_WAREHOUSE")
    try:
        shutil.copyfile(source, folder / "warehouse.duckdb")
        os.environ["R2P_WAREHOUSE"] = str(folder / "warehouse.duckdb")
        return _run(folder)
    finally:
        if old is None:
            os.environ.pop("R2P_WAREHOUSE", None)
        else:
            os.environ["R2P_WAREHOUSE"] = old
        shutil.rmtree(folder, ignore_errors=True)


def _run(folder: Path) -> list[dict]:
    rows: list[dict] = []
    # 1. scaling: 2 arms × 1 scenario × 192 rows × 1000 draws × 104 weeks, chunks of 4 rows
    #    (~30 s of compute on one worker, so starting the cluster is a small part of it)
    scaling = _config(folder, "bench_scaling", n=48, chunk=4)
    _timed(_config(folder, "bench_warm", n=2, mc=10, weeks=10), workers=1)  # imports, caches
    t1, r1 = _timed(scaling, workers=1)
    t2, r2 = _timed(scaling, workers=2)
    # CPU the workers actually got per wall second (1.0 per worker = a free core each): on a
    # shared machine this, not the machinery, caps the speed-up.
    share1 = r1.cpu_seconds / t1  # type: ignore[attr-defined]
    share2 = r2.cpu_seconds / t2  # type: ignore[attr-defined]
    rows.append(
        {
            "name": "sweep_2_workers_speedup",
            "value": t1 / t2,
            "unit": "× (1-worker time / 2-worker time)",
            "baseline_name": "1 local worker (s)",
            "baseline_value": t1,
            "ratio": t1 / t2,
            "goal": 1.6,
            "met": t1 / t2 >= 1.6,
            "two_workers_s": t2,
            "cores_used_1_worker": round(share1, 2),
            "cores_used_2_workers": round(share2, 2),
        }
    )
    # 2. per-chunk overhead in-process, one thread: steady-state cycle per chunk vs its compute
    stamps: list[float] = []
    overhead_cfg = _config(folder, "bench_overhead", n=4, mc=1000, chunk=2)
    _, run_ = _timed(
        overhead_cfg, threads=1, on_commit=lambda done, total: stamps.append(time.perf_counter())
    )
    compute_per_chunk = run_.compute_seconds / run_.chunks_run  # type: ignore[attr-defined]
    cycle = (stamps[-1] - stamps[0]) / (len(stamps) - 1)
    share = max(cycle - compute_per_chunk, 0.0) / compute_per_chunk
    rows.append(
        {
            "name": "sweep_chunk_overhead",
            "value": 100 * share,
            "unit": "% of chunk compute",
            "baseline_name": "chunk compute (s)",
            "baseline_value": compute_per_chunk,
            "ratio": 5.0 / max(100 * share, 1e-9),
            "goal": "< 5 %",
            "met": 100 * share < 5.0,
            "cycle_s": cycle,
            "chunks": run_.chunks_run,
        }
    )  # type: ignore[attr-defined]
    # 3. big sweep: time a slice on 2 workers, extrapolate by parameter rows
    big = _config(folder, "bench_big", regimes=ALL, n=4, mc=1000, weeks=104, chunk=2)  # 6 × 1 × 16 rows
    marks: list[float] = []
    t, run_ = _timed(big, workers=2, on_commit=lambda done, total: marks.append(time.perf_counter()))
    rows_run = run_.rows_run  # type: ignore[attr-defined]
    full_rows = 6 * 10 * 1000
    # steady-state rate (first commit to last; the cluster start is paid once per run, not per row)
    steady = (rows_run - 2) / (marks[-1] - marks[0])
    minutes = full_rows / steady / 60
    rows.append(
        {
            "name": "big_sweep_minutes",
            "value": minutes,
            "unit": "min (extrapolated from a slice)",
            "baseline_name": "goal (min)",
            "baseline_value": 10.0,
            "ratio": 10.0 / minutes,
            "goal": "< 10 min",
            "met": minutes < 10.0,
            "slice": f"{rows_run} of {full_rows} parameter rows × 1000 MC × 104 weeks "
            f"in {t:.1f} s on 2 workers (cluster start included); steady {steady:.2f} rows/s",
        }
    )
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
