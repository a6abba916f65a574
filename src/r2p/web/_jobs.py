"""Background jobs (crisis simulations) with progress, kept in memory.

Each application has one ``JobStore`` whose single daemon worker runs jobs in order,
so a dashboard user cannot overload the machine: at most ``MAX_PENDING`` jobs wait or
run at once, further requests are refused with 429. The last ``MAX_KEPT`` finished
jobs are kept for their results; nothing is written to disk. ``close()`` cancels what
is left (a running job stops at its next progress report).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from r2p.errors import R2PError

log = logging.getLogger("r2p.web")

MAX_PENDING = 4
MAX_KEPT = 32

Progress = Callable[[float, str], None]


class TooBusy(Exception):
    """Too many jobs are waiting: served as 429 with this message."""


class Cancelled(Exception):
    """The job was cancelled (the server is shutting down)."""


@dataclass
class Job:
    """One job: ``state`` is queued, running, done or failed; ``progress`` runs from 0 to 1."""

    id: str
    kind: str
    params: dict[str, Any]
    state: str = "queued"
    progress: float = 0.0
    message: str = "waiting for the worker"
    result: dict[str, Any] | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the job as the API shows it."""
        return {"id": self.id, "kind": self.kind, "state": self.state, "progress": round(self.progress, 4),
                "message": self.message, "params": self.params, "result": self.result,
                "elapsed_s": round((self.finished or time.time()) - self.created, 2)}


class JobStore:
    """Run jobs one at a time on a daemon worker thread; look them up by id."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[Job, Callable[[Progress], dict[str, Any]]] | None] = queue.Queue()
        self._closed = threading.Event()
        self._worker = threading.Thread(target=self._loop, name="r2p-web-jobs", daemon=True)
        self._worker.start()

    def submit(self, kind: str, params: dict[str, Any], run: Callable[[Progress], dict[str, Any]]) -> Job:
        """Queue ``run(progress)``; ``TooBusy`` if ``MAX_PENDING`` jobs are already waiting or running."""
        with self._lock:
            pending = self.pending()
            if self._closed.is_set() or pending >= MAX_PENDING:
                raise TooBusy(f"{pending} simulations are already waiting or running; try again when one "
                              "has finished.")
            job = Job(id=uuid.uuid4().hex[:16], kind=kind, params=params)
            self._jobs[job.id] = job
            self._trim()
        self._queue.put((job, run))
        return job

    def pending(self) -> int:
        """Return how many jobs are queued or running."""
        return sum(j.state in ("queued", "running") for j in list(self._jobs.values()))

    def __len__(self) -> int:
        return len(self._jobs)

    def get(self, job_id: str) -> Job | None:
        """Return the job with id ``job_id`` (None if unknown or forgotten)."""
        with self._lock:
            return self._jobs.get(job_id)

    def close(self) -> None:
        """Cancel queued and running jobs and stop the worker."""
        self._closed.set()
        self._queue.put(None)

    def _trim(self) -> None:
        done = [k for k, j in self._jobs.items() if j.state in ("done", "failed")]
        for k in done[: max(0, len(self._jobs) - MAX_KEPT)]:
            del self._jobs[k]

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                break
            job, run = item
            if self._closed.is_set():
                job.state, job.message, job.finished = "failed", "cancelled: the server stopped", time.time()
                continue
            self._run(job, run)
        while not self._queue.empty():  # cancel whatever was still queued
            item = self._queue.get_nowait()
            if item is not None:
                item[0].state, item[0].message = "failed", "cancelled: the server stopped"

    def _run(self, job: Job, run: Callable[[Progress], dict[str, Any]]) -> None:
        def progress(fraction: float, message: str) -> None:
            if self._closed.is_set():
                raise Cancelled("cancelled: the server stopped")
            job.progress = min(1.0, max(job.progress, float(fraction)))
            job.message = message

        job.state, job.message = "running", "starting"
        try:
            job.result = run(progress)
            job.state, job.progress, job.message = "done", 1.0, "done"
        except Cancelled as exc:
            job.state, job.message = "failed", str(exc)
        except R2PError as exc:
            job.state, job.message = "failed", str(exc)
        except Exception as exc:  # the job's failure is reported, not raised into the worker
            log.exception("simulation job %s failed", job.id)
            job.state, job.message = "failed", f"internal error ({type(exc).__name__}); see the server log"
        finally:
            job.finished = time.time()
