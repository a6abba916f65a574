"""Validation on the library: the scores are what the per-case table says, and the baselines are
the leave-one-out ones."""

from __future__ import annotations

from pathlib import Path

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
