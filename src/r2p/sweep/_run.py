"""Running a sweep: plan chunks, check everything, compute on Dask, commit each chunk as it lands.

Four ways to run, one code path (a ``distributed.Client``):

- embedded (default): a Dask ``LocalCluster`` started for the run, one single-threaded worker
  process per core (nothing to set up; processes, because the simulator's week loop holds the
  GIL, so threads would not use more than one core);
- ``threads=N`` (``--in-process``): a Dask cluster inside this process, N worker threads;
- ``workers=N``: a ``LocalCluster`` of N single-threaded worker processes;
- ``scheduler="tcp://HOST:PORT"``: an existing Dask cluster, unchanged.

The driver is the only process that writes the warehouse. Each chunk (one regime arm × one
scenario × a block of parameter rows, simulated as one batch by ``r2p.crisis.simulate_rows``)
is committed in its own transaction as soon as it
arrives; on restart the same command skips committed chunks. Chunk results do not depend on
chunking or order: parameter row ``draw_id`` of scenario ``s`` always runs with the same seed,
in every regime (common random numbers), so a resumed sweep equals an uninterrupted one.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from r2p import __version__
from r2p.errors import R2PInputError
from r2p.sweep import _model, _store
from r2p.sweep._config import SweepConfig, check_against_model, load_sweep_config, sample_parameters

# Chunk sizing: a chunk's rows run as one batch of the simulator (``r2p.crisis.simulate_rows``),
# so a chunk should hold enough draws to fill its vectorised blocks and about CHUNK_SECONDS of
# compute (so scheduling, transfer and the one DuckDB commit per chunk stay a few per cent), but
# at most MAX_CHUNK_DRAWS draws (its per-draw outputs stay tens of MB; progress and checkpoints
# stay fine-grained). The cost model is rough (a small cost per parameter row to build and
# compile it, plus one per simulated draw-week on one core) and depends only on the config
# (never on the machine), so a resumed sweep finds the same chunks.
CHUNK_SECONDS = 3.0
ROW_SECONDS = 0.002
DRAW_WEEK_SECONDS = 1 / 7e6
MAX_CHUNK_DRAWS = 200_000
MAX_CHUNKS_IN_FLIGHT_PER_THREAD = 3


@dataclass(frozen=True)
class Chunk:
    """One unit of work: a regime arm × a scenario × parameter rows ``[start, stop)``."""

    chunk_id: int
    regime: str
    scenario: str
    start: int
    stop: int


@dataclass
class SweepRun:
    """What a call to ``run_sweep`` did."""

    name: str
    table: str
    warehouse: Path
    total_chunks: int
    chunks_run: int
    chunks_skipped: int
    rows_run: int
    seconds: float
    compute_seconds: float
    where: str
    cpu_seconds: float = 0.0
    sobol_rows: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain-dict view (for ``--json``)."""
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}


def code_version() -> str:
    """Return ``<r2p version>+<hash>`` of the model sources a sweep's numbers depend on.

    The hash covers ``r2p.sweep._model`` and the ``r2p.crisis``, ``r2p.law``, ``r2p.council`` and
    ``r2p.risk`` packages (sources and shipped YAML), so resuming after a model change is refused.
    """
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    files = [Path(__file__).with_name("_model.py")]
    for part in ("crisis", "law", "council", "risk"):
        d = root / part
        if d.is_dir():
            files += sorted(p for p in d.rglob("*") if p.suffix in (".py", ".yaml", ".yml", ".json"))
    for f in files:
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def plan_chunks(cfg: SweepConfig) -> list[Chunk]:
    """Return the sweep's chunks in a fixed order (the same config always gives the same plan).

    Without ``chunk_rows`` each regime arm × scenario cell is cut into equal blocks of parameter
    rows of about ``CHUNK_SECONDS`` of compute and at most ``MAX_CHUNK_DRAWS`` Monte Carlo draws.
    """
    rows = cfg.rows_per_cell
    if cfg.chunk_rows:
        size = min(cfg.chunk_rows, rows)
    else:
        per_row = ROW_SECONDS + cfg.mc_draws * cfg.weeks * DRAW_WEEK_SECONDS
        size = max(1, min(math.floor(CHUNK_SECONDS / per_row), MAX_CHUNK_DRAWS // cfg.mc_draws, rows))
        size = math.ceil(rows / math.ceil(rows / size))  # the same size for every chunk of a cell
    chunks: list[Chunk] = []
    for r in cfg.regimes:
        for s in cfg.scenarios:
            for start in range(0, rows, size):
                chunks.append(Chunk(len(chunks), r.name, s.label, start, min(rows, start + size)))
    return chunks


def scenario_seed(cfg: SweepConfig, label: str) -> int:
    """Seed of scenario ``label`` (shared by every regime arm: common random numbers)."""
    digest = hashlib.sha256(f"{cfg.seed}|{label}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1


def _column_types(cfg: SweepConfig) -> dict[str, str]:
    cols = {"chunk_id": "INTEGER", "regime": "VARCHAR", "scenario": "VARCHAR", "draw_id": "INTEGER"}
    cols.update({p: "DOUBLE" for p in cfg.parameter_names})
    cols.update({o: "DOUBLE" for o in _model.outcome_columns()})
    return cols


def run_chunk(
    regime: Any, scenario: Any, rows: pd.DataFrame, chunk: Chunk, mc_draws: int, weeks: int, seed: int
) -> tuple[pd.DataFrame, float, float]:
    """Worker side: simulate one chunk; return its result rows, the wall seconds it took and the
    CPU seconds its thread got (less than the wall time when the machine is shared)."""
    started, cpu = time.perf_counter(), time.thread_time()
    out = _model.evaluate_chunk(regime, scenario, rows, mc_draws, weeks, seed)
    frame = pd.concat([rows.reset_index(drop=True), out.reset_index(drop=True)], axis=1)
    frame.insert(0, "scenario", chunk.scenario)
    frame.insert(0, "regime", chunk.regime)
    frame.insert(0, "chunk_id", chunk.chunk_id)
    return frame, time.perf_counter() - started, time.thread_time() - cpu


def _refuses_connections(scheduler: str) -> None:
    """Raise ``ConnectionRefusedError`` at once if nothing listens at a ``tcp://`` scheduler address
    (Dask's client would keep retrying until its timeout), ``R2PInputError`` if it has no port.
    Other answers, and other protocols, are left to the client."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    protocol, location = parse_address(scheduler)
    if protocol != "tcp":
        return
    try:
        host, port = parse_host_port(location)
    except ValueError as exc:  # Dask's client would fail with a traceback
        raise R2PInputError(f"--scheduler {scheduler!r}: {exc}; expected an address like "
                            "tcp://HOST:PORT.") from None
    try:
        with socket.create_connection((host, port), timeout=2.0):
            return
    except ConnectionRefusedError:
        raise
    except OSError:
        return  # unresolved, filtered or slow: the client reports it after its own timeout


@contextlib.contextmanager
def open_client(
    workers: int | None = None,
    scheduler: str | None = None,
    timeout: float = 10.0,
    threads: int | None = None,
) -> Iterator[tuple[Any, str]]:
    """Yield ``(distributed.Client, description)`` for the chosen way to run; checked before work.

    ``scheduler``: an existing cluster; ``threads``: in this process, that many threads;
    ``workers``: a LocalCluster of that many single-threaded processes; none of them: one
    process per core (the simulator's week loop is Python-level, so threads would serialise on
    the GIL). An unreachable scheduler raises ``R2PInputError`` (nothing has been stored by then).
    """
    import dask
    from distributed import Client, LocalCluster

    for noisy in (
        "distributed",
        "distributed.worker",
        "distributed.scheduler",
        "distributed.nanny",
        "distributed.core",
        "distributed.http.proxy",
        "bokeh",
        "tornado",
    ):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    if workers is not None and scheduler is not None:
        raise R2PInputError("give either --workers N or --scheduler tcp://HOST:PORT, not both.")
    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise R2PInputError(f"--scheduler {scheduler!r}: expected an address like tcp://HOST:PORT.")
        try:
            _refuses_connections(scheduler)
            client = Client(scheduler, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise R2PInputError(
                f"--scheduler {scheduler}: cannot reach a Dask scheduler there "
                f"({type(exc).__name__}: {exc}). Start one with `dask scheduler` or "
                "drop --scheduler to run in-process."
            ) from exc
        try:
            n = sum(client.nthreads().values())
            if n == 0:
                client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            client.close()
            raise R2PInputError(f"--scheduler {scheduler}: the scheduler has no workers.") from exc
        try:
            yield client, f"scheduler {scheduler}"
        finally:
            client.close()
        return
    if workers is not None and threads is not None:
        raise R2PInputError("give either --workers N or --in-process, not both.")
    if threads is not None:
        if threads < 1:
            raise R2PInputError(f"threads: {threads}: expected at least 1.")
        cluster = LocalCluster(
            n_workers=1,
            threads_per_worker=threads,
            processes=False,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
        where = f"in-process ({threads} thread(s))"
    else:
        if workers is not None and workers < 1:
            raise R2PInputError(f"--workers {workers}: expected at least 1.")
        n = workers or local_cores()
        with dask.config.set({"distributed.nanny.pre-spawn-environ": worker_environment()}):
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
        where = f"{n} local worker process(es)"
    client = Client(cluster, set_as_default=False)
    try:
        yield client, where
    finally:
        client.close()
        cluster.close()


def worker_environment() -> dict[str, Any]:
    """Return the environment our local worker processes are spawned with: Dask's default
    (one BLAS/OpenMP thread per worker) without its ``MALLOC_TRIM_THRESHOLD_``.

    Setting any glibc malloc threshold turns off glibc's adaptive mmap threshold, so every array
    over 128 kB is then mapped fresh from the kernel and unmapped when freed. The simulator's
    week loop allocates and frees many per-draw arrays of 0.1–0.5 MB every week; with the variable
    set a chunk took about twice as long, much of it system time in page faults (``make bench``
    reports the ratio as ``sweep_worker_env_speedup``).
    """
    import dask

    env = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    env.pop("MALLOC_TRIM_THRESHOLD_", None)
    return env


def local_cores() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _resolve(cfg_or_path: SweepConfig | Path | str) -> SweepConfig:
    if isinstance(cfg_or_path, SweepConfig):
        check_against_model(cfg_or_path)
        return cfg_or_path
    return load_sweep_config(cfg_or_path)


def run_sweep(
    cfg_or_path: SweepConfig | Path | str,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    fresh: bool = False,
    warehouse: Path | None = None,
    show_progress: bool = True,
    sobol: bool = True,
    threads: int | None = None,
    on_commit: Callable[[int, int], None] | None = None,
) -> SweepRun:
    """Run (or resume) a sweep and store its results; return what was done.

    Every check (config, model names and domains, stored config and code version, disk space,
    scheduler) happens before anything is stored. ``fresh`` drops a stored sweep of the same
    name first. By default the sweep runs on a local Dask cluster with one worker process per
    core; ``workers=N`` sets the processes, ``threads=N`` runs in this process on N threads,
    ``scheduler`` uses an existing cluster.
    ``on_commit(done, total)`` is called after each chunk commit. With Saltelli
    sampling the Sobol indices are computed and stored at the end (``sweep_<name>_sobol``).
    """
    from r2p.data import ensure_warehouse

    started = time.perf_counter()
    cfg = _resolve(cfg_or_path)
    path = ensure_warehouse(warehouse)
    version = code_version()
    entry = _store.catalog_entry(path, cfg.name)
    if entry is not None and not fresh:
        if entry["config_hash"] != cfg.config_hash():
            raise R2PInputError(
                f"a sweep named {cfg.name!r} is already stored with a different config "
                f"(hash {entry['config_hash']}, this file {cfg.config_hash()}); rerun with "
                "--fresh to replace it, or give the sweep a new name."
            )
        if entry["code_version"] != version:
            raise R2PInputError(
                f"sweep {cfg.name!r} was stored by model code {entry['code_version']} but "
                f"this is {version}; rerun with --fresh to recompute it with this code."
            )
    # Disk first: a sweep too big for the disk is refused before its chunks are even planned.
    stored = 0 if fresh or entry is None else _store.stored_rows(path, cfg.table)
    _store.check_disk(path, (cfg.total_rows - stored) * len(_column_types(cfg)))
    chunks = plan_chunks(cfg)
    done = set() if fresh else _store.done_chunks(path, cfg.table)
    todo = [c for c in chunks if c.chunk_id not in done]
    sobol_wanted = sobol and cfg.sampling.method == "saltelli"
    if (
        not todo
        and entry is not None
        and entry["status"] == "complete"
        and (not sobol_wanted or _store.read_frame(path, f"{cfg.table}_sobol") is not None)
    ):
        # Already finished: touch nothing (no cluster, no write).
        return SweepRun(
            name=cfg.name,
            table=cfg.table,
            warehouse=path,
            total_chunks=len(chunks),
            chunks_run=0,
            chunks_skipped=len(done),
            rows_run=0,
            seconds=time.perf_counter() - started,
            compute_seconds=0.0,
            where="nothing to run",
        )
    params = sample_parameters(cfg)
    # The cluster (and a given scheduler's reachability) first: it is the cheaper check.
    with open_client(workers, scheduler, threads=threads) as (client, where):
        prepared = _model.prepare(cfg, params)
        _store.begin_sweep(
            path,
            name=cfg.name,
            table=cfg.table,
            config_json=cfg.canonical_json(),
            config_hash=cfg.config_hash(),
            code_version=version,
            r2p_version=__version__,
            total_chunks=len(chunks),
            total_rows=cfg.total_rows,
            columns=_column_types(cfg),
            fresh=fresh,
        )
        writer = _store.ChunkWriter(path, cfg.name, cfg.table)
        compute, cpu = _execute(
            client, cfg, todo, params, prepared, writer, len(done), len(chunks), show_progress, on_commit
        )
    writer.finish("complete")
    run = SweepRun(
        name=cfg.name,
        table=cfg.table,
        warehouse=path,
        total_chunks=len(chunks),
        chunks_run=len(todo),
        chunks_skipped=len(done),
        rows_run=sum(c.stop - c.start for c in todo),
        seconds=0.0,
        compute_seconds=compute,
        cpu_seconds=cpu,
        where=where,
    )
    if sobol and cfg.sampling.method == "saltelli":
        from r2p.sweep._sobol import compute_sobol

        if todo or _store.read_frame(path, f"{cfg.table}_sobol") is None:
            table = compute_sobol(cfg, warehouse=path)
            run.sobol_rows = len(table)
    run.seconds = time.perf_counter() - started
    return run


def _execute(
    client: Any,
    cfg: SweepConfig,
    todo: list[Chunk],
    params: pd.DataFrame,
    prepared: Any,
    writer: _store.ChunkWriter,
    n_done: int,
    n_total: int,
    show_progress: bool,
    on_commit: Callable[[int, int], None] | None,
) -> tuple[float, float]:
    """Submit the chunks (a bounded window in flight), commit each as it lands; return the summed
    wall and CPU seconds of the chunks' compute."""
    from distributed import as_completed

    from r2p._cli_util import progress

    if not todo:
        return 0.0, 0.0
    threads = max(1, sum(client.nthreads().values()))
    window = threads * MAX_CHUNKS_IN_FLIGHT_PER_THREAD
    regimes = {k: client.scatter(v, broadcast=True) for k, v in prepared.regimes.items()}
    scenarios = {k: client.scatter(v, broadcast=True) for k, v in prepared.scenarios.items()}
    rows = params.reset_index()
    seeds = {s.label: scenario_seed(cfg, s.label) for s in cfg.scenarios}
    pending = iter(todo)
    compute = cpu = 0.0

    def submit(chunk: Chunk) -> Any:
        return client.submit(
            run_chunk,
            regimes[chunk.regime],
            scenarios[chunk.scenario],
            rows.iloc[chunk.start : chunk.stop],
            chunk,
            cfg.mc_draws,
            cfg.weeks,
            seeds[chunk.scenario],
            key=f"r2p-sweep-{cfg.name}-{chunk.chunk_id}",
            pure=False,
        )

    # range first: zip stops on it without pulling an extra chunk from ``pending``
    queue = as_completed([submit(c) for _, c in zip(range(window), pending, strict=False)], loop=client.loop)
    total_rows = sum(c.stop - c.start for c in todo)
    with progress(show_progress) as bar:
        t0, rows_done = time.perf_counter(), 0
        task = bar.add_task(f"sweep {cfg.name}", total=total_rows)
        for fut in queue:
            frame, seconds, cpu_seconds = fut.result()
            fut.release()
            n_done += 1
            writer.commit(frame, n_done)
            compute += seconds
            cpu += cpu_seconds
            rows_done += len(frame)
            rate = rows_done / max(time.perf_counter() - t0, 1e-9)
            bar.update(task, advance=len(frame), description=f"sweep {cfg.name} · {rate:.2f} rows/s")
            if on_commit:
                on_commit(n_done, n_total)
            nxt = next(pending, None)
            if nxt is not None:
                queue.add(submit(nxt))
    return compute, cpu


def shipped_sweep(name: str) -> Path:
    """Path of a sweep file shipped with r2p (``claims`` is the sweep behind ``r2p claims``)."""
    ref = resources.files("r2p.sweep").joinpath(f"{name}.yaml")
    return Path(str(ref))
