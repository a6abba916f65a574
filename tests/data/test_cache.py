"""The shared disk cache builds once, survives a torn file and never leaves one behind."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from r2p.data import cached_pickle


def _build_in_child(path: str, log: str) -> None:
    def build() -> dict[str, int]:
        with open(log, "a") as fh:
            fh.write("built\n")
        import time

        time.sleep(0.5)  # long enough for the other process to be waiting on the lock
        return {"answer": 42}

    assert cached_pickle(Path(path), build) == {"answer": 42}


def test_concurrent_processes_build_once(tmp_path: Path) -> None:
    path, log = tmp_path / "obj.pkl", tmp_path / "log.txt"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_build_in_child, args=(str(path), str(log))) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert log.read_text().count("built") == 1
    assert not list(tmp_path.glob(".obj.pkl.*.tmp"))


def test_torn_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "obj.pkl"
    path.write_bytes(b"\x80\x05not a pickle")
    assert cached_pickle(path, lambda: [1, 2, 3]) == [1, 2, 3]
    assert cached_pickle(path, lambda: [9]) == [1, 2, 3]  # now read from disk, not rebuilt
