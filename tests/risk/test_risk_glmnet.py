"""The glmnet-style solver against an independent solver, on real EWP rows."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from r2p.risk._features import EWP_PREDICTORS, TARGET, load_panel, training_mask
from r2p.risk._glmnet import fit_path


@pytest.fixture(scope="module")
def window(warehouse):  # noqa: ARG001 - needs the built warehouse
    panel = load_panel()
    ok = training_mask(panel, EWP_PREDICTORS) & (panel["year"] <= 2000).to_numpy()
    x = panel.loc[ok, list(EWP_PREDICTORS)].to_numpy(float)
    y = panel.loc[ok, TARGET].to_numpy(float)
    return (x - x.mean(0)) / np.where(x.std(0) > 0, x.std(0), 1), y


def test_path_matches_sklearn_at_a_fixed_lambda(window):
    from sklearn.linear_model import LogisticRegression

    z, y = window
    path = fit_path(z, y, n_folds=0, n_lambda=40, stop_after_min=None)
    k = 30
    lam = path.lambdas[k]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = LogisticRegression(penalty="elasticnet", solver="saga", l1_ratio=0.5, C=1 / (lam * len(y)),
                                 max_iter=5000, tol=1e-8).fit(z, y)
    assert np.max(np.abs(path.coef[k, 1:] - ref.coef_[0])) < 5e-3
    assert abs(path.coef[k, 0] - ref.intercept_[0]) < 5e-3
    # glmnet's λ_max: every penalised coefficient is zero at the first λ, not at the second.
    assert np.all(path.coef[0, 1:] == 0)
    assert np.any(path.coef[1, 1:] != 0)


def test_early_stop_picks_the_same_lambda_as_the_full_path(window):
    z, y = window
    full = fit_path(z, y, stop_after_min=None)
    short = fit_path(z, y, stop_after_min=5)
    assert short.best == full.best
    assert len(short.lambdas) <= len(full.lambdas) == 100
    np.testing.assert_allclose(short.coef[short.best], full.coef[full.best], atol=1e-9)


def test_same_seed_same_bits_other_seed_other_folds(window):
    z, y = window
    a, b = fit_path(z, y, seed=7), fit_path(z, y, seed=7)
    assert np.array_equal(a.coef, b.coef) and a.best == b.best
    c = fit_path(z, y, seed=8)
    assert not np.array_equal(a.cv_deviance[: len(c.cv_deviance)], c.cv_deviance[: len(a.cv_deviance)])
