"""Validation on the library: the scores are what the per-case table says, and the baselines are
the leave-one-out ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from r2p.cases import OUTCOMES, truth, validate
from r2p.cases._calibrate import fit_shrinkage, grid


@pytest.fixture(scope="module")
def result(warehouse: Path):  # type: ignore[no-untyped-def]
    return validate(bootstrap=50)


def test_scores_match_the_case_table_and_the_loo_base_rate(result) -> None:  # type: ignore[no-untyped-def]
    t = truth().set_index("id")
    cases = result.cases.set_index("id")
    assert len(cases) == 19
    for o in OUTCOMES:
        y = t.loc[cases.index, o].to_numpy(dtype=float)
        assert (cases[f"y_{o}"].to_numpy() == y).all()
        loo_base = (y.sum() - y) / (len(y) - 1)  # base rate of the other 18 cases
        np.testing.assert_allclose(cases[f"base_{o}"].to_numpy(), loo_base)
        s = result.scores.set_index("outcome").loc[o]
        assert s["brier_base_rate"] == pytest.approx(np.mean((loo_base - y) ** 2))
        assert s["brier_r2p"] == pytest.approx(np.mean((cases[f"p_{o}"].to_numpy() - y) ** 2))
        assert s["improvement_vs_base"] == pytest.approx(1 - s["brier_r2p"] / s["brier_base_rate"])
        assert cases[f"p_{o}"].between(0, 1).all()
    assert (cases["n_train"] == 18).all()


def test_timing_fit_reports_parameters_inside_the_grid(result) -> None:  # type: ignore[no-untyped-def]
    fitted = result.timing["fitted_on_all_cases"]
    pts = grid()
    for name, v in fitted.items():
        values = sorted({getattr(p, name) for p in pts})
        assert v["estimate"] in values and values[0] <= v["p05"] <= v["p95"] <= values[-1]
    assert len(result.timing["per_case"]) == 19


def test_shrinkage_moves_only_with_the_simulator() -> None:
    # a simulator that says nothing (constant) is shrunk all the way to the base rate
    m = fit_shrinkage([0.9] * 10, [1, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    assert m.w == 1.0 and m(0.9) == pytest.approx(0.2)
    # a perfect simulator is kept as it is
    m = fit_shrinkage([0.0, 1.0, 0.0, 1.0], [0, 1, 0, 1])
    assert m.w == 0.0 and m(0.7) == pytest.approx(0.7)


def test_public_names() -> None:
    import r2p.cases

    assert set(r2p.cases.__all__) == {
        "CRIME_TYPES", "EVENT_INSTRUMENTS", "OUTCOMES", "Case", "CaseInputs", "CaseLoadFailure", "Event",
        "FirstSteps", "OnsetCase", "Predictions", "SimParams", "Validation", "Vote", "case_inputs",
        "first_steps", "get_case", "library", "library_tables", "load_case_dir", "load_case_file",
        "months_between", "predict_cases", "store_library", "timeline", "truth", "validate",
    }
    assert all(hasattr(r2p.cases, n) for n in r2p.cases.__all__)


def test_parallel_build_writes_what_a_serial_build_computes(warehouse: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Two spawned processes build two cases' cached inputs and tables; they equal a serial build."""
    import pickle
    import shutil

    from r2p.cases import get_case
    from r2p.cases._calibrate import case_table, table_cache_path
    from r2p.cases._features import case_inputs, inputs_cache_path
    from r2p.cases._predict import case_setting
    from r2p.cases._validate import _prebuild, onset_only

    home = tmp_path / "home"
    (home / "cache").mkdir(parents=True)
    (home / "warehouse.duckdb").symlink_to(warehouse)
    for part in ("risk", "council"):  # reuse fitted risk and GA alignment; the cases cache starts empty
        if (warehouse.parent / "cache" / part).is_dir():
            shutil.copytree(warehouse.parent / "cache" / part, home / "cache" / part)
    monkeypatch.setenv("R2P_HOME", str(home))
    monkeypatch.setenv("R2P_JOBS", "2")
    cases = [onset_only(get_case(i)) for i in ("liberia-1990", "iraq-kurds-1991")]
    said: list[str] = []
    _prebuild(cases, said.append)
    assert said[0] == "building 2 case(s) in 2 processes"
    assert sorted(m.split()[0] for m in said[1:]) == ["iraq-kurds-1991", "liberia-1990"]
    c = cases[0]
    setting = case_setting(c.crime_types, c.perpetrator)
    built = pickle.loads(table_cache_path(c.id, c.target_state, c.onset_date, setting).read_bytes())
    built_inputs = pickle.loads(inputs_cache_path(c).read_bytes())
    serial_inputs = case_inputs(c, use_cache=False)
    assert same(built_inputs, serial_inputs)
    assert same(case_table(serial_inputs, setting, use_cache=False), built)
    assert not same(built, pickle.loads(table_cache_path(  # the check can tell two cases apart
        cases[1].id, cases[1].target_state, cases[1].onset_date,
        case_setting(cases[1].crime_types, cases[1].perpetrator)).read_bytes()))


def same(a: Any, b: Any) -> bool:
    """Exact equality of nested dataclasses, dicts, sequences, arrays and floats (NaN equals NaN)."""
    import dataclasses

    if type(a) is not type(b):
        return False
    if dataclasses.is_dataclass(a):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if isinstance(a, float):
        return a == b or (np.isnan(a) and np.isnan(b))
    return a == b


def test_build_jobs_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from r2p.cases._validate import build_jobs
    from r2p.errors import R2PInputError

    monkeypatch.setenv("R2P_JOBS", "3")
    assert build_jobs() == 3
    for bad in ("0", "two"):
        monkeypatch.setenv("R2P_JOBS", bad)
        with pytest.raises(R2PInputError, match="R2P_JOBS"):
            build_jobs()


def test_a_script_without_a_main_guard_falls_back_to_a_serial_build(warehouse: Path, tmp_path: Path) -> None:
    """Spawned workers re-run the main script; one that calls r2p at import time breaks them. The
    build must say so and go on serially rather than fail."""
    import os
    import subprocess
    import sys

    script = tmp_path / "no_guard.py"
    script.write_text(
        "from r2p.cases import get_case\n"
        "from r2p.cases._validate import _is_built, _prebuild, onset_only\n"
        "cases = [onset_only(get_case(i)) for i in ('liberia-1990', 'iraq-kurds-1991')]\n"
        "_prebuild(cases, lambda m: print(m, flush=True))\n"
        "print('done, built:', [_is_built(c) for c in cases])\n")
    home = tmp_path / "home"
    home.mkdir()
    (home / "warehouse.duckdb").symlink_to(warehouse)
    env = {**os.environ, "R2P_HOME": str(home), "R2P_JOBS": "2"}
    out = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "building 2 case(s) in 2 processes" in out.stdout
    assert "building serially" in out.stdout
    assert out.stdout.rstrip().endswith("done, built: [False, False]")
