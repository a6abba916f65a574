"""Shared command-line plumbing: consoles, JSON output, progress bars and exit codes.

Exit codes: 0 success, 1 failure, 2 bad input (``R2PInputError``/``R2PDataError``).
Colour is off when output is not a terminal or ``NO_COLOR`` is set (Rich's own rule).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from r2p.errors import R2PInputError

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # never wrap error messages

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def _default(obj: Any) -> Any:
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return None if math.isnan(float(obj)) else float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "model_dump"):
        return obj.model_dump()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def _clean_nans(obj: Any) -> Any:
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean_nans(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean_nans(v) for v in obj]
    return obj


def emit_json(obj: Any) -> None:
    """Print ``obj`` as JSON (NaN written as null) on standard output."""
    sys.stdout.write(json.dumps(_clean_nans(obj), default=_default, indent=2) + "\n")


@contextmanager
def progress(enabled: bool = True) -> Iterator[Progress]:
    """Yield a Rich progress bar with rate and ETA on standard error (disabled → hidden)."""
    bar = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        disable=not enabled,
        transient=False,
    )
    with bar:
        yield bar


def check_output_path(path: Path, *, suffixes: tuple[str, ...] | None = None) -> Path:
    """Return ``path`` resolved after checking its folder exists and is writable (``R2PInputError``)."""
    path = Path(path).expanduser()
    if suffixes and path.suffix.lower() not in suffixes:
        raise R2PInputError(f"output file {path} must end in one of {', '.join(suffixes)}.")
    parent = path.resolve().parent
    if not parent.is_dir():
        raise R2PInputError(f"output folder {parent} does not exist.")
    import os

    if not os.access(parent, os.W_OK):
        raise R2PInputError(f"output folder {parent} is not writable.")
    if path.is_dir():
        raise R2PInputError(f"output path {path} is a folder, expected a file.")
    return path.resolve()


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename, so nothing is half-written."""
    import os

    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and rename, so nothing is half-written."""
    import os

    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
