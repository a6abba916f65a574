"""Run every benchmark in this folder and print each figure beside its same-run baseline.

Each ``bench_*.py`` module defines ``run() -> list[dict]``; each dict has at least
``name``, ``value``, ``unit``, ``baseline_name``, ``baseline_value`` and
``ratio`` (how many times better r2p is than the baseline; > 1 is better), and
may add ``goal`` (the ratio or value the issue asks for) and ``met`` (bool).
Results are also written to ``benchmarks/results/latest.json``.

Usage: python benchmarks/run.py [NAME_FILTER]
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    pattern = argv[1] if len(argv) > 1 else ""
    results: list[dict] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if pattern and pattern not in path.stem:
            continue
        print(f"== {path.stem}", flush=True)
        started = time.perf_counter()
        for row in _load(path).run():
            row.setdefault("module", path.stem)
            results.append(row)
            goal = f"  goal {row['goal']}" if "goal" in row else ""
            met = "" if "met" not in row else ("  MET" if row["met"] else "  NOT MET")
            print(f"  {row['name']}: {row['value']:.4g} {row['unit']}  vs  {row['baseline_name']}: "
                  f"{row['baseline_value']:.4g}  → ratio {row['ratio']:.3g}×{goal}{met}", flush=True)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    print(f"wrote {out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
