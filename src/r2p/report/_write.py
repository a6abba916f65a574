"""``write_brief``: validate the request, collect the numbers, render, and write every file atomically."""

from __future__ import annotations

import json
import math
import os
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from r2p.errors import R2PInputError, suggest

FORMATS = ("html", "pdf")
DEFAULT_DRAWS = 2000
DEFAULT_SEED = 1
MAX_DRAWS = 200_000  # a brief is a summary; bigger runs belong to `r2p simulate` / `r2p sweep`
MIN_PAGES, MAX_PAGES = 2, 4


@dataclass(frozen=True)
class BriefResult:
    """What ``write_brief`` produced.

    ``paths``: format → file written (``html``, ``pdf`` as asked, and always ``json``: the numbers).
    ``numbers``: every number the brief shows, JSON-ready (probabilities 0–1, deaths in civilian
    deaths, times in weeks or months as named), with the ``reproduce`` command and, when a PDF was
    made, ``pdf_pages``.
    """

    paths: dict[str, Path]
    numbers: dict[str, Any] = field(repr=False)

    @property
    def reproduce(self) -> str:
        """The command line that reproduces this brief."""
        return str(self.numbers["reproduce"])


def _check_formats(formats: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(formats, str):
        formats = FORMATS if formats == "both" else (formats,)
    out = []
    for f in formats:
        f = str(f).lower()
        if f not in FORMATS:
            raise R2PInputError(f"format: {f!r} is not a brief format; expected html, pdf or both."
                                + suggest(f, (*FORMATS, "both")))
        if f not in out:
            out.append(f)
    if not out:
        raise R2PInputError("format: none given; expected html, pdf or both.")
    return tuple(sorted(out, key=FORMATS.index))


def _check_int(name: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise R2PInputError(f"{name}: {value!r} is not valid; expected a whole number from {lo:,} to {hi:,}.")
    return value


def _check_stem(stem: str) -> str:
    if (not stem or stem in (".", "..") or "/" in stem or "\\" in stem or os.sep in stem
            or stem.startswith(".") or "\x00" in stem):
        raise R2PInputError(f"name: {stem!r} would put the brief outside the output folder; expected a plain "
                            "file name such as 'brief-SDN-2025'.")
    return stem


def check_out_dir(out_dir: Path | str) -> Path:
    """Return ``out_dir`` resolved, creating it if needed; ``R2PInputError`` if it cannot be written."""
    path = Path(out_dir).expanduser()
    if path.exists() and not path.is_dir():
        raise R2PInputError(f"out: {path} is a file, expected a folder for the brief.")
    if not path.exists():
        try:
            path.mkdir(parents=True)
        except OSError as exc:
            raise R2PInputError(f"out: cannot create the folder {path} ({exc.strerror or exc}).") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise R2PInputError(f"out: the folder {path} is not writable.")
    return path.resolve()


def _target(out_dir: Path, name: str) -> Path:
    target = out_dir / name
    if target.is_symlink() or target.resolve().parent != out_dir:
        raise R2PInputError(f"out: {target} points outside the output folder {out_dir}; remove it or choose "
                            "another folder.")
    if target.is_dir():
        raise R2PInputError(f"out: {target} is a folder, expected a file name.")
    return target


def reproduce_command(iso3: str, year: int, regime_specs: Sequence[str], formats: Sequence[str],
                      draws: int, seed: int) -> str:
    """Return the ``r2p brief`` command line that reproduces a brief."""
    parts = ["r2p", "brief", iso3, "--year", str(year)]
    for spec in regime_specs:
        parts += ["--regime", spec]
    fmt = "both" if tuple(formats) == FORMATS else formats[0]
    parts += ["--format", fmt, "--draws", str(draws), "--seed", str(seed)]
    return shlex.join(parts)


def _clean(obj: Any) -> Any:
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return _clean(obj.item())
    return obj


def write_brief(country: str, year: int, *, regimes: Sequence[str] | None = None,
                formats: Sequence[str] | str = FORMATS, out_dir: Path | str = Path("."),
                draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, name: str | None = None,
                step: Callable[[str], None] | None = None) -> BriefResult:
    """Write the policy brief on ``country`` (ISO3, code or name) for ``year`` into ``out_dir``.

    ``regimes``: shipped regime names or regime YAML files (default: the six shipped regimes);
    ``formats``: any of ``html``, ``pdf`` (or ``"both"``); ``draws`` Monte Carlo draws per regime and
    ``seed`` for the simulation; ``name``: file stem (default ``brief-<ISO3>-<year>``), which must be
    a plain file name. Writes ``<name>.html`` / ``<name>.pdf`` and ``<name>.json`` (the numbers)
    atomically: on any error nothing is written. Returns a ``BriefResult``. Bad input raises
    ``R2PInputError`` before any model is run.
    """
    from r2p.data import resolve_country
    from r2p.law import REGIME_NAMES, load_regime
    from r2p.report._collect import check_year_span, collect
    from r2p.report._render import render_html, render_pdf

    fmts = _check_formats(formats)
    draws = _check_int("draws", draws, 1, MAX_DRAWS)
    seed = _check_int("seed", seed, 0, 2**32 - 1)
    country_ = resolve_country(country)
    year = check_year_span(country_.iso3, country_.ewp_name, year)
    specs = list(REGIME_NAMES) if not regimes else [str(r) for r in regimes]
    if "all" in specs:
        specs = [s for s in specs if s != "all"]
        specs = list(REGIME_NAMES) + [s for s in specs if s not in REGIME_NAMES]
    loaded = [load_regime(s) for s in specs]
    names = [r.name for r in loaded]
    if len(set(names)) != len(names):
        raise R2PInputError(f"regime: {names} names a regime twice; give each once.")
    stem = _check_stem(name or f"brief-{country_.iso3}-{year}")
    folder = check_out_dir(out_dir)
    targets = {f: _target(folder, f"{stem}.{f}") for f in (*fmts, "json")}

    numbers = collect(country_.iso3, country_.name, country_.region or "", year, loaded, specs, draws, seed,
                      step=step)
    numbers["reproduce"] = reproduce_command(country_.iso3, year, specs, fmts, draws, seed)
    if step is not None:
        step("rendering the brief")
    payloads: dict[str, bytes] = {}
    if "pdf" in fmts:
        pdf, pages = render_pdf(numbers, numbers["reproduce"])
        numbers["pdf_pages"] = pages
        payloads["pdf"] = pdf
    if "html" in fmts:
        payloads["html"] = render_html(numbers, numbers["reproduce"]).encode("utf-8")
    numbers = _clean(numbers)
    payloads["json"] = (json.dumps(numbers, indent=2, sort_keys=True) + "\n").encode("utf-8")
    _write_all({targets[f]: data for f, data in payloads.items()})
    return BriefResult(paths={f: targets[f] for f in payloads}, numbers=numbers)


def _write_all(files: dict[Path, bytes]) -> None:
    """Write every file via temporary files and renames; on failure remove the temporaries."""
    tmps: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmps.append((tmp, path))
    except OSError as exc:
        for tmp, _ in tmps:
            tmp.unlink(missing_ok=True)
        raise R2PInputError(f"out: cannot write the brief into {next(iter(files)).parent} "
                            f"({exc.strerror or exc}).") from None
    for tmp, path in tmps:
        os.replace(tmp, path)
