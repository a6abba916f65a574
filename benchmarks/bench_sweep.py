"""Sweep benchmarks (issue 6), all measured in the same run on private copies of the warehouse.

The work is one slice of the big sweep: 6 regimes × 2 real scenarios (RWA 1994, SDN 2004) ×
168 parameter rows (Saltelli n = 42 over 2 parameters) × 1,000 Monte Carlo draws × 104 weeks,
cut by the default chunk plan (168 rows = 168,000 draws a chunk: 12 full chunks, each run by
``r2p.crisis.simulate_rows`` as vectorised blocks of draws).

1. ``sweep_2_workers_speedup``: the slice on a LocalCluster of 2 worker processes vs 1 (wall
   time of ``run_sweep``, cluster start and scenario inputs included); goal ≥ 1.6×. Also
   reported: the cores the workers actually got (chunk CPU seconds per wall second). On a
   shared machine (Linux autogroup scheduling shares CPU per session, not per process) that,
   not the machinery, caps the speed-up.
2. ``sweep_chunk_overhead``: in-process with one worker thread, the steady-state time per
   committed chunk (scheduling, transfer, one DuckDB transaction) beyond the chunk's own
   compute, as a share of that compute (default chunk plan, 3 regimes × 1 scenario × 2 chunks);
   goal < 5 %. Baseline: the chunk compute.
3. ``big_sweep_minutes``: 6 regimes × 10 scenarios × 1,000 parameter draws × 1,000 Monte Carlo
   draws × 104 weeks (60,000 rows, 360 chunks) on 2 workers, run in full (about 5–6 minutes on
   a quiet 2-core machine); goal < 10 minutes. Baseline: the goal. Also reported: the
   extrapolation from the 2-worker run of the slice (the time to the first round of commits
   plus the remaining rows at the steady rate of the later commits), and the same from the
   chunks' CPU seconds on 2 free cores. ``R2P_BENCH_SWEEP_EXTRAPOLATE=1`` skips the full run and
   reports the extrapolation as the value.
4. ``sweep_worker_env_speedup``: one default chunk (168 rows of RWA 1994 × 1,000 draws × 104
   weeks, ``status_quo``) in a fresh process spawned with Dask's default worker environment
   (``MALLOC_TRIM_THRESHOLD_=65536``, which turns off glibc's adaptive mmap threshold) vs the
   environment r2p spawns its workers with (``worker_environment()``); ratio = default / ours.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCENARIOS = "[{target: RWA, year: 1994}, {target: SDN, year: 2004}]"
ALL = "[status_quo, break_the_law, un_reform, hi_doctrine, democracies, recommended]"
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
"""
BIG_SCENARIOS = (
    "[{target: RWA, year: 1994}, {target: SDN, year: 2004}, {target: BDI, year: 2015}, "
    "{target: COD, year: 2003}, {target: SYR, year: 2012}, {target: CAF, year: 2013}, "
    "{target: SSD, year: 2014}, {target: IRQ, year: 2014}, {target: MMR, year: 2017}, "
    "{target: ETH, year: 2021}]"
)
FULL_ROWS = 6 * 10 * 1000
WORKERS = 2


def _config(
    folder: Path,
    name: str,
    *,
    regimes: str = ALL,
    scenarios: str = SCENARIOS,
    n: int = 42,
    mc: int = 1000,
    weeks: int = 104,
) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        _TEMPLATE.format(name=name, regimes=regimes, scenarios=scenarios, n=n, mc=mc, weeks=weeks)
    )
    return path


def _timed(cfg: Path, **kw: object) -> tuple[float, object, list[float], float]:
    """Run a sweep fresh; return its wall seconds, the run, the commit times and the start time."""
    from r2p.sweep import run_sweep

    marks: list[float] = []
    started = time.perf_counter()
    run = run_sweep(
        cfg,
        fresh=True,
        show_progress=False,
        sobol=False,
        on_commit=lambda done, total: marks.append(time.perf_counter()),
        **kw,  # type: ignore[arg-type]
    )
    return time.perf_counter() - started, run, marks, started


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
    from r2p.sweep import load_sweep_config, plan_chunks

    rows: list[dict] = []
    slice_cfg = _config(folder, "bench_slice")
    chunks = plan_chunks(load_sweep_config(slice_cfg))
    chunk_rows = chunks[0].stop - chunks[0].start
    assert all(c.stop - c.start == chunk_rows for c in chunks), "the slice must be whole chunks"
    # warm-up: imports, scenario inputs cached on disk, worker start-up code paths
    _timed(_config(folder, "bench_warm", n=2, mc=10, weeks=10), workers=1)

    # 1. the slice on 1 worker, then on 2
    t1, r1, _, _ = _timed(slice_cfg, workers=1)
    t2, r2, marks, started = _timed(slice_cfg, workers=WORKERS)
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
            # the speed-up per extra core actually obtained (1.0 = the machinery loses nothing)
            "speedup_per_core_obtained": round((t1 / t2) / (share2 / share1), 2),
            "work": f"{len(chunks)} chunks × {chunk_rows} rows × 1000 draws × 104 weeks",
        }
    )

    # 2. per-chunk overhead in-process, one thread: steady-state cycle per chunk vs its compute
    overhead_cfg = _config(
        folder,
        "bench_overhead",
        regimes="[status_quo, hi_doctrine, recommended]",
        scenarios="[{target: RWA, year: 1994}]",
        n=84,
    )
    _, run_, stamps, _ = _timed(overhead_cfg, threads=1)
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
            "chunks": run_.chunks_run,  # type: ignore[attr-defined]
        }
    )

    # 3. big sweep: run in full (or, on request, extrapolated from the 2-worker run of the slice)
    rows_run = r2.rows_run  # type: ignore[attr-defined]
    first_round = marks[WORKERS - 1] - started  # cluster start, inputs, first chunk per worker
    steady = (rows_run - WORKERS * chunk_rows) / (marks[-1] - marks[WORKERS - 1])  # rows/s
    extrapolated = (first_round + (FULL_ROWS - WORKERS * chunk_rows) / steady) / 60
    cpu_per_row = r2.cpu_seconds / rows_run  # type: ignore[attr-defined]
    free_minutes = (first_round + FULL_ROWS * cpu_per_row / WORKERS) / 60
    full = os.environ.get("R2P_BENCH_SWEEP_EXTRAPOLATE", "") in ("", "0")
    detail: dict[str, object] = {}
    if full:
        big_cfg = _config(folder, "bench_big", scenarios=BIG_SCENARIOS, n=250)
        tb, rb, _, _ = _timed(big_cfg, workers=WORKERS)
        minutes = tb / 60
        detail = {
            "full_run": f"{rb.rows_run} rows in {rb.chunks_run} chunks on {WORKERS} workers",  # type: ignore[attr-defined]
            "cores_used": round(rb.cpu_seconds / tb, 2),  # type: ignore[attr-defined]
        }
    else:
        minutes = extrapolated
    rows.append(
        {
            "name": "big_sweep_minutes",
            "value": minutes,
            "unit": "min (full run)" if full else "min (extrapolated from a slice)",
            "baseline_name": "goal (min)",
            "baseline_value": 10.0,
            "ratio": 10.0 / minutes,
            "goal": "< 10 min",
            "met": minutes < 10.0,
            **detail,
            "extrapolated_minutes": round(extrapolated, 2),
            "minutes_on_2_free_cores": round(free_minutes, 2),
            "cpu_ms_per_row": round(1000 * cpu_per_row, 2),
            "slice": f"{rows_run} of {FULL_ROWS} parameter rows ({len(chunks)} chunks of {chunk_rows}) "
            f"× 1000 MC × 104 weeks in {t2:.1f} s on {WORKERS} workers; first round of commits "
            f"after {first_round:.1f} s, then {steady:.2f} rows/s; workers got {share2:.2f} cores",
        }
    )

    # 4. one chunk in a process with Dask's default worker environment vs ours
    import dask
    import distributed  # noqa: F401  (registers the distributed config defaults)

    from r2p.sweep._run import worker_environment

    dask_default = {k: str(v) for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()}
    ours = {k: str(v) for k, v in worker_environment().items()}
    t_default = min(_chunk_in_fresh_process(dask_default, chunk_rows) for _ in range(2))
    t_ours = min(_chunk_in_fresh_process(ours, chunk_rows) for _ in range(2))
    rows.append(
        {
            "name": "sweep_worker_env_speedup",
            "value": t_default / t_ours,
            "unit": "× (chunk time, Dask's default worker env / r2p's)",
            "baseline_name": "chunk with MALLOC_TRIM_THRESHOLD_=65536 (s)",
            "baseline_value": t_default,
            "ratio": t_default / t_ours,
            "chunk_s": t_ours,
            "work": f"{chunk_rows} rows × 1000 draws × 104 weeks, RWA 1994, status_quo; best of 2",
        }
    )
    return rows


_CHUNK_CODE = """
import json, sys, time
from r2p.crisis import Scenario, simulate_rows
from r2p.law import load_regime
rows = int(sys.argv[1])
scenario, regime = Scenario.for_country("RWA", 1994), load_regime("status_quo")
simulate_rows([scenario] * 8, regime, list(range(8)), 1000, 104)  # warm-up
t = time.perf_counter()
simulate_rows([scenario] * rows, regime, list(range(rows)), 1000, 104)
print(json.dumps(time.perf_counter() - t))
"""


def _chunk_in_fresh_process(env: dict[str, str], rows: int) -> float:
    """Seconds one chunk of ``rows`` parameter rows takes in a new interpreter run with ``env``
    added to this process's environment (any malloc variable of ours removed first)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run(
        [sys.executable, "-c", _CHUNK_CODE, str(rows)],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    for r in run():
        print(r)
